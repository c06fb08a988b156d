package callguide.kit.signal.transport;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ErrorCodes;
import callguide.kit.signal.Json;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.RelayException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP long-polling transport, for networks where WebSockets fail:
 * {@code POST /rooms/{room}/peers/{peer}} to join (a bearer token comes back),
 * {@code GET .../messages?after=SEQ&wait=S} in a loop to receive, {@code POST .../messages}
 * to send, {@code DELETE} to leave.
 *
 * <p>Nothing is lost: each poll acknowledges, with {@code after}, only what was already
 * delivered, so a poll whose response is lost is simply asked again. Messages go out one
 * request at a time, in the order {@link #send} was called.
 */
public final class LongPollingRelayClient extends RelayConnectionBase {

    /** How long one poll may be held open by the relay. */
    static final int POLL_WAIT_SECONDS = 20;
    /** A poll that fails this many times in a row (relay gone) ends the connection. */
    private static final int MAX_POLL_FAILURES = 5;

    private final HttpClient http;
    private final String peerUrl;
    private final ExecutorService sender;
    private volatile String token;
    private volatile boolean leaving;
    private Thread poller;

    private LongPollingRelayClient(URI relay, String room, String peer, Consumer<Envelope> listener) {
        super(room, peer, listener);
        this.http = RelayHttp.client(relay);
        this.peerUrl = base(relay) + "/rooms/" + encode(room) + "/peers/" + encode(peer);
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-poll-send-" + peer);
            t.setDaemon(true);
            return t;
        });
    }

    public static CompletableFuture<RelayClient> connect(
            URI relay, String room, String peer, Consumer<Envelope> listener) {
        LongPollingRelayClient client;
        try {
            client = new LongPollingRelayClient(relay, room, peer, listener);
        } catch (IllegalArgumentException badRelay) {
            return CompletableFuture.failedFuture(badRelay); // a malformed pin, say
        }
        HttpRequest join = HttpRequest.newBuilder(URI.create(client.peerUrl))
                .timeout(JOIN_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        client.http.sendAsync(join, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null) {
                client.sender.shutdown();
                client.ended("cannot join at " + client.peerUrl + ": " + why(relay, error));
            } else if (response.statusCode() != 201) {
                client.sender.shutdown();
                client.joined.completeExceptionally(refusal(response));
                client.closed.complete(null);
            } else {
                client.token =
                        Json.read(response.body(), JsonNode.class).path("token").asText();
                client.startPolling();
            }
        });
        return client.joinedWithin(relay);
    }

    @Override
    public Transport transport() {
        return Transport.LONG_POLLING;
    }

    private void startPolling() {
        poller = new Thread(this::pollLoop, "relay-poll-" + peer());
        poller.setDaemon(true);
        poller.start();
    }

    private void pollLoop() {
        int failures = 0;
        while (!leaving) {
            HttpRequest poll = authorized(
                            URI.create(peerUrl + "/messages?after=" + lastSeq() + "&wait=" + POLL_WAIT_SECONDS))
                    .timeout(Duration.ofSeconds(POLL_WAIT_SECONDS + 10))
                    .GET()
                    .build();
            try {
                HttpResponse<String> response = http.send(poll, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    ended("poll refused: " + refusal(response).getMessage());
                    return;
                }
                failures = 0;
                for (JsonNode message :
                        Json.read(response.body(), JsonNode.class).path("messages")) {
                    received(Json.convert(message, Envelope.class));
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (leaving) {
                    break;
                }
                if (++failures >= MAX_POLL_FAILURES) {
                    ended("polling failed " + failures + " times: " + e);
                    return;
                }
                try {
                    Thread.sleep(100L * failures); // back off before asking again (not a synchronisation)
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
        ended("left");
    }

    @Override
    public CompletableFuture<Void> send(Envelope message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        String json = message.toJson();
        try {
            sender.execute(() -> {
                try {
                    HttpResponse<String> response = http.send(
                            authorized(URI.create(peerUrl + "/messages"))
                                    .timeout(JOIN_TIMEOUT)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(refusal(response));
                    }
                } catch (IOException | RuntimeException e) {
                    sent.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    sent.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sent.completeExceptionally(new IllegalStateException(this + " is closed"));
        }
        return sent;
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    private static RelayException refusal(HttpResponse<String> response) {
        try {
            JsonNode body = Json.read(response.body(), JsonNode.class);
            JsonNode error = body.has("payload") ? body.path("payload") : body;
            if (error.hasNonNull("code")) {
                return new RelayException(
                        error.path("code").asText(), error.path("message").asText());
            }
        } catch (IllegalArgumentException notJson) {
            // fall through: report the status
        }
        return new RelayException(
                response.statusCode() == 403 ? ErrorCodes.FORBIDDEN : "http-" + response.statusCode(),
                "HTTP " + response.statusCode() + " from the relay");
    }

    @Override
    public void close() {
        if (leaving) {
            return;
        }
        leaving = true;
        sender.shutdown();
        if (token != null) {
            // Leave after the messages already queued went out.
            CompletableFuture.runAsync(() -> {
                try {
                    sender.awaitTermination(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    http.send(
                            authorized(URI.create(peerUrl))
                                    .timeout(Duration.ofSeconds(5))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // the relay times a silent peer out anyway
                } finally {
                    if (poller != null) {
                        poller.interrupt();
                    }
                    ended("left");
                }
            });
        } else {
            ended("left");
        }
    }
}
