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

/** A client of {@code bench relay}: the kit's relay client, or a bare JDK WebSocket (relay and echo alike). */
interface BenchPeer {

    void send(RelayLoad.Sample sample);

    CompletableFuture<Void> close();

    /** A kit relay client (WebSocket or long polling). */
    record KitPeer(RelayClient client) implements BenchPeer {
        @Override
        public void send(RelayLoad.Sample sample) {
            client.send(MessageTypes.CANDIDATE, sample);
        }

        @Override
        public CompletableFuture<Void> close() {
            client.close();
            return client.closed();
        }
    }

    /**
     * A JDK WebSocket to the relay or to the echo server, the one client of both: the same message
     * (the envelope the kit's client would write), sent in order with one send outstanding as the
     * kit's client does, each frame read back where it arrives and handed to the {@link Sink}. Joined
     * once the {@code welcome} arrived (the echo server sends one too).
     */
    final class WsPeer implements BenchPeer, WebSocket.Listener {
        /** One client for every peer, as the kit shares one for every relay client. */
        private static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        private final RelayLoad.Sink sink;
        private final CompletableFuture<BenchPeer> paired = new CompletableFuture<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;
        private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

        private WsPeer(RelayLoad.Sink sink) {
            this.sink = sink;
        }

        static CompletableFuture<BenchPeer> connect(URI uri, RelayLoad.Sink sink) {
            WsPeer peer = new WsPeer(sink);
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
        public synchronized void send(RelayLoad.Sample sample) {
            String text = sample.envelope();
            lastSend = lastSend.handle((v, e) -> null).thenCompose(v -> {
                WebSocket ws = socket;
                if (ws == null || ws.isOutputClosed()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("peer closed"));
                }
                return ws.sendText(text, true);
            });
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
                    if (MessageTypes.WELCOME.equals(type)) {
                        paired.complete(this);
                    } else if (MessageTypes.CANDIDATE.equals(type)) {
                        sink.onPayload(message.path("payload"));
                    } else if (MessageTypes.ERROR.equals(type)) {
                        sink.error("the relay answered an error: " + message.path("payload"));
                    } // peer-joined, peer-left: not measured
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
