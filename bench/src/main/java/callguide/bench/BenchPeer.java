package callguide.bench;

import callguide.kit.signal.Json;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A client of {@code bench relay}: the kit's relay client, or a bare JDK WebSocket (relay, echo and PeerJS server
 * alike).
 */
interface BenchPeer {

    /** Sends one message stamped {@code sentNanos}, of {@code phase}. */
    void send(long sentNanos, int phase);

    CompletableFuture<Void> close();

    /** How many flat-out messages (phase 2) this client received so far. */
    long flatOutReceived();

    /** A kit relay client (WebSocket or long polling). */
    record KitPeer(RelayClient client) implements BenchPeer {
        @Override
        public void send(long sentNanos, int phase) {
            client.send(MessageTypes.CANDIDATE, RelayLoad.candidate(sentNanos, phase));
        }

        @Override
        public long flatOutReceived() {
            return -1; // the kit's client hands every message to the Sink alone: fairness is for WebSocket clients
        }

        @Override
        public CompletableFuture<Void> close() {
            client.close();
            return client.closed();
        }
    }

    /**
     * A JDK WebSocket to the relay, to the echo server or to PeerJS server, the one client of all three: the same
     * message (the envelope the kit's client would write; for PeerJS its own envelope around the same payload),
     * sent in order with one send outstanding as the kit's client does, each frame read back where it arrives and
     * handed to the {@link Sink}. Joined once the {@code welcome} arrived (the echo server sends one too), or
     * PeerJS's {@code OPEN}. The JDK's WebSocket offers no extensions: permessage-deflate is off with every server.
     */
    final class WsPeer implements BenchPeer, WebSocket.Listener {
        /** The messages measured: the relay's candidate and offer, and PeerJS's names for them. */
        private static final java.util.Set<String> MEASURED =
                java.util.Set.of(MessageTypes.CANDIDATE, MessageTypes.OFFER, "CANDIDATE", "OFFER");
        /** The relay's error, and PeerJS's refusals (a bad key or id, an id taken, a message to nobody). */
        private static final java.util.Set<String> REFUSALS =
                java.util.Set.of(MessageTypes.ERROR, "ERROR", "ID-TAKEN", "EXPIRE", "LEAVE");

        /** One client for every peer, as the kit shares one for every relay client. */
        private static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        /** What this peer's messages say, up to their send time: a relay envelope, or PeerJS's to the partner. */
        private final String head;

        private final RelayLoad.Sink sink;
        private final java.util.concurrent.atomic.AtomicLong flatOut = new java.util.concurrent.atomic.AtomicLong();
        private final CompletableFuture<BenchPeer> paired = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

        private WsPeer(String head, RelayLoad.Sink sink) {
            this.head = head;
            this.sink = sink;
        }

        static CompletableFuture<BenchPeer> connect(URI uri, String head, RelayLoad.Sink sink) {
            WsPeer peer = new WsPeer(head, sink);
            HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, peer)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            peer.paired.completeExceptionally(error);
                            peer.closed.complete(null);
                        }
                    });
            return peer.paired.orTimeout(10, TimeUnit.SECONDS);
        }

        @Override
        public synchronized void send(long sentNanos, int phase) {
            String text = head + RelayLoad.tail(sentNanos, phase);
            lastSend = lastSend.handle((v, e) -> null).thenCompose(v -> {
                WebSocket ws = socket;
                if (ws == null || ws.isOutputClosed()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("peer closed"));
                }
                return ws.sendText(text, true);
            });
        }

        @Override
        public long flatOutReceived() {
            return flatOut.get();
        }

        @Override
        public CompletableFuture<Void> close() {
            WebSocket ws = socket;
            if (ws == null) {
                closed.complete(null);
                return closed;
            }
            synchronized (this) {
                lastSend.handle((v, e) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                        .thenCompose(f -> f)
                        .orTimeout(2, TimeUnit.SECONDS)
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                ws.abort();
                                closed.complete(null);
                            }
                        });
            }
            return closed.completeOnTimeout(null, 3, TimeUnit.SECONDS).whenComplete((v, e) -> ws.abort());
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = Json.MAPPER.readTree(text);
                    String type = message.path("type").asText();
                    if (MessageTypes.WELCOME.equals(type) || "OPEN".equals(type)) {
                        paired.complete(this);
                    } else if (MEASURED.contains(type)) {
                        if (sink.onPayload(message.path("payload")) == 2) {
                            flatOut.incrementAndGet();
                        }
                    } else if (REFUSALS.contains(type)) {
                        sink.error("the server answered " + type + ": " + message.path("payload"));
                    } // peer-joined, peer-left, PeerJS's HEARTBEAT: not measured
                } catch (Exception e) {
                    sink.error("a frame that is not an envelope: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            paired.completeExceptionally(
                    new IllegalStateException("closed by the server: " + statusCode + " " + reason));
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            paired.completeExceptionally(error);
            closed.complete(null);
        }
    }
}
