package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the attack tests share: an attacker's WebSocket that never reads, and the bystander's
 * check that a fresh call in another room still completes in time while an attack goes on.
 */
final class Attacks {
    /** The promise: a fresh exchange under 2 s, whatever one client does. */
    static final Duration FRESH_EXCHANGE = Duration.ofSeconds(2);

    private static final AtomicInteger ROOMS = new AtomicInteger();

    private Attacks() {}

    /**
     * A fresh call in a room of its own: join both, offer, answer, 5 candidates each way, every
     * message delivered in order. Returns how long it took; fails if it took longer than {@link #FRESH_EXCHANGE}.
     */
    static Duration freshExchange(Relay relay) throws Exception {
        String room = "fresh-" + ROOMS.incrementAndGet();
        long start = System.nanoTime();
        try (TestClient caller = TestClient.join("websocket", relay, room, "caller");
                TestClient callee = TestClient.join("polling", relay, room, "callee")) {
            caller.next("peer-joined");
            callee.next("welcome");
            caller.send("offer", Map.of("type", "offer", "sdp", "v=0 fresh"));
            assertThat(callee.next("offer").path("payload").path("sdp").asText())
                    .as("the fresh call's offer arrives")
                    .isEqualTo("v=0 fresh");
            callee.send("answer", Map.of("type", "answer", "sdp", "v=0 answer"));
            assertThat(caller.next("answer").path("type").asText())
                    .as("the fresh call's answer arrives")
                    .isEqualTo("answer");
            for (int i = 0; i < 5; i++) {
                caller.send("candidate", Map.of("candidate", "candidate:" + i, "sdpMid", "0", "sdpMLineIndex", 0));
                callee.send("candidate", Map.of("candidate", "candidate:" + i, "sdpMid", "0", "sdpMLineIndex", 0));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(callee.next("candidate")
                                .path("payload")
                                .path("candidate")
                                .asText())
                        .as("the caller's candidates, in order")
                        .isEqualTo("candidate:" + i);
                assertThat(caller.next("candidate")
                                .path("payload")
                                .path("candidate")
                                .asText())
                        .as("the callee's candidates, in order")
                        .isEqualTo("candidate:" + i);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took)
                .as("a fresh exchange in another room during the attack took %d ms", took.toMillis())
                .isLessThan(FRESH_EXCHANGE);
        return took;
    }

    /**
     * A WebSocket peer that reads nothing at all after the handshake (not even its welcome): the socket's buffers fill,
     * then the relay's queue would.
     */
    static final class DeafSocket implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        static DeafSocket open(Relay relay, String room, String peer) throws Exception {
            DeafSocket deaf = new DeafSocket();
            deaf.socket = TestClient.http(relay)
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(TestClient.webSocketUrl(relay) + "/rooms/" + room + "?peer=" + peer), deaf)
                    .get(TestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            return deaf;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // no request(): nothing is ever read
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

        /** Sends {@code frame}; false once the relay has ended the connection. */
        boolean send(String frame) {
            try {
                socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception ended) {
                return false;
            }
        }

        void abort() {
            socket.abort();
        }
    }
}
