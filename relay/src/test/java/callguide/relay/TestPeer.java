package callguide.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw protocol-v1 client for the relay's tests, over a WebSocket or HTTP long polling, built
 * on the JDK only: it sends any text (valid or not) and collects every message the relay sends.
 */
abstract class TestPeer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration WAIT = Duration.ofSeconds(10);

    final String room;
    final String peer;
    final java.util.concurrent.BlockingDeque<JsonNode> inbox = new java.util.concurrent.LinkedBlockingDeque<>();

    TestPeer(String room, String peer) {
        this.room = room;
        this.peer = peer;
    }

    static TestPeer join(String transport, Relay relay, String room, String peer) throws Exception {
        return transport.equals("websocket") ? WebSocketPeer.open(relay, room, peer) : PollingPeer.open(relay, room, peer);
    }

    /** Sends one frame as it is; a polling peer gets back the HTTP status and body, a WebSocket peer 0 and "". */
    abstract Sent sendRaw(String frame) throws Exception;

    record Sent(int status, String body) {
    }

    Sent send(String type, Object payload) throws Exception {
        return sendRaw(JSON.writeValueAsString(java.util.Map.of("type", type, "payload", payload)));
    }

    /** The next message, whatever its type; fails after {@link #WAIT}. */
    JsonNode next() throws InterruptedException {
        JsonNode message = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError(peer + " received nothing in " + WAIT.toSeconds() + " s");
        }
        return message;
    }

    /** The next message of {@code type}, skipping others; fails after {@link #WAIT}. */
    JsonNode next(String type) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            JsonNode message = inbox.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (message != null && message.path("type").asText().equals(type)) {
                return message;
            }
        }
        throw new AssertionError(peer + " received no " + type + " in " + WAIT.toSeconds() + " s");
    }

    /** True if nothing arrives within {@code quiet} (a bounded wait for silence). */
    boolean quietFor(Duration quiet) throws InterruptedException {
        JsonNode message = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (message != null) {
            inbox.addFirst(message);
        }
        return message == null;
    }

    static final class WebSocketPeer extends TestPeer implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        private WebSocketPeer(String room, String peer) {
            super(room, peer);
        }

        static WebSocketPeer open(Relay relay, String room, String peer) throws Exception {
            WebSocketPeer p = new WebSocketPeer(room, peer);
            p.socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(relay.url().replace("http://", "ws://") + "/rooms/" + room + "?peer=" + peer), p)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // The handshake is done before the relay has put the peer in the room: wait for its
            // answer (welcome or error), so that peers join in the order a test opens them.
            JsonNode first = p.inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                p.inbox.addFirst(first);
            }
            return p;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    inbox.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    inbox.add(JSON.createObjectNode().put("type", "unreadable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        @Override
        synchronized Sent sendRaw(String frame) throws Exception {
            socket.sendText(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return new Sent(0, "");
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            socket.abort();
        }
    }

    static final class PollingPeer extends TestPeer {
        final URI base;
        final String token;
        final int joinStatus;
        private volatile boolean polling = true;
        private volatile long after;
        private final Thread poller;

        private PollingPeer(Relay relay, String room, String peer, int joinStatus, String token, boolean poll) {
            super(room, peer);
            this.base = URI.create(relay.url() + "/rooms/" + room + "/peers/" + peer);
            this.joinStatus = joinStatus;
            this.token = token;
            this.poller = new Thread(this::pollLoop, "poll-" + peer);
            poller.setDaemon(true);
            if (poll && token != null) {
                poller.start();
            }
        }

        static PollingPeer open(Relay relay, String room, String peer) throws Exception {
            return open(relay, room, peer, true);
        }

        /** Joins; with {@code poll} false it never polls (a peer gone silent). */
        static PollingPeer open(Relay relay, String room, String peer, boolean poll) throws Exception {
            HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url() + "/rooms/" + room + "/peers/" + peer))
                    .timeout(WAIT).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            String token = joined.statusCode() == 201 ? JSON.readTree(joined.body()).path("token").asText() : null;
            PollingPeer p = new PollingPeer(relay, room, peer, joined.statusCode(), token, poll);
            if (token == null) {
                p.inbox.add(JSON.readTree(joined.body()));
            }
            return p;
        }

        /** One poll, as a client would make it: {@code {"messages": [...]}} above {@code after}. */
        HttpResponse<String> poll(long after, int waitSeconds, String withToken) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/messages?after=" + after + "&wait=" + waitSeconds))
                    .timeout(Duration.ofSeconds(waitSeconds + 10)).GET();
            if (withToken != null) {
                request.header("Authorization", "Bearer " + withToken);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private void pollLoop() {
            while (polling) {
                try {
                    HttpResponse<String> response = poll(after, 1, token);
                    if (response.statusCode() != 200) {
                        inbox.add(JSON.readTree(response.body()));
                        return;
                    }
                    for (JsonNode message : JSON.readTree(response.body()).path("messages")) {
                        if (message.path("seq").asLong() > after) {
                            after = message.path("seq").asLong();
                            inbox.add(message);
                        }
                    }
                } catch (Exception e) {
                    if (!polling) {
                        return;
                    }
                }
            }
        }

        @Override
        Sent sendRaw(String frame) throws Exception {
            return sendRaw(frame, token);
        }

        Sent sendRaw(String frame, String withToken) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/messages")).timeout(WAIT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(frame));
            if (withToken != null) {
                request.header("Authorization", "Bearer " + withToken);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Sent(response.statusCode(), response.body());
        }

        int leave() throws Exception {
            polling = false;
            return HTTP.send(HttpRequest.newBuilder(base).timeout(WAIT).header("Authorization", "Bearer " + token).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        }

        @Override
        public void close() throws Exception {
            if (polling && token != null) {
                leave();
            }
            polling = false;
        }
    }

    static List<String> types(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("type").asText()));
        return out;
    }
}
