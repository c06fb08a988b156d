package callguide.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.signal.Json;
import callguide.relay.Relay;
import callguide.relay.RelayConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The load generator's own WebSocket client ({@link NioWebSockets}) against real servers on ephemeral ports of
 * 127.0.0.1: the relay (its upgrade, masked frames it must take, its liveness pings that a client must answer or be
 * dropped) and a bare Jetty endpoint that sends what the relay does not (fragments, a ping with a payload, big
 * frames, a close of its own).
 */
class NioWebSocketsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What one client socket heard, for the test thread to wait on. */
    static final class Heard implements NioWebSockets.Listener {
        final CompletableFuture<NioWebSockets.Socket> open = new CompletableFuture<>();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onOpen(NioWebSockets.Socket socket) {
            open.complete(socket);
        }

        @Override
        public void onText(byte[] data, int offset, int length) {
            texts.add(new String(data, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onClosed(int code, String why) {
            closed.complete(code + " " + why);
        }

        /** The next text, waited for (bounded). */
        String next() throws InterruptedException {
            String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(text)
                    .as("a message within %s (closed: %s)", WAIT, closed.getNow("no"))
                    .isNotNull();
            return text;
        }

        /** The next message of {@code type}, those of other types skipped (bounded). */
        JsonNode next(String type) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                String text = texts.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (text == null) {
                    break;
                }
                JsonNode message = Json.MAPPER.readTree(text);
                if (type.equals(message.path("type").asText())) {
                    return message;
                }
            }
            throw new AssertionError("no " + type + " within " + WAIT + " (closed: " + closed.getNow("no") + ")");
        }
    }

    @Nested
    @DisplayName("against the relay")
    class AgainstTheRelay {

        @Test
        @DisplayName("the upgrade is checked, masked frames small and big are taken and forwarded, and the relay's"
                + " pings are answered, so an idle client is not dropped")
        void relay() throws Exception {
            // Pings every 100 ms; a peer heard from for 300 ms is dropped (a pong counts as heard).
            Relay relay = Relay.start(RelayConfig.defaults()
                    .withPort(0)
                    .withStunPort(-1)
                    .withWebSocketEnabled(true)
                    .withWebSocketTimeout(Duration.ofMillis(300)));
            try (NioWebSockets sockets = new NioWebSockets("test-relay")) {
                String ws = relay.url().replaceFirst("^http", "ws");
                Heard alice = new Heard();
                Heard bob = new Heard();
                NioWebSockets.Socket a = sockets.open(URI.create(ws + "/rooms/r1?peer=alice"), alice);
                NioWebSockets.Socket b = sockets.open(URI.create(ws + "/rooms/r1?peer=bob"), bob);
                assertThat(alice.open).as("alice's upgrade").succeedsWithin(WAIT);
                assertThat(bob.open).as("bob's upgrade").succeedsWithin(WAIT);
                alice.next("welcome");
                bob.next("welcome");

                a.sendText("{\"type\":\"candidate\",\"payload\":{\"n\":1}}");
                JsonNode candidate = bob.next("candidate");
                assertThat(candidate.path("from").asText()).isEqualTo("alice");
                assertThat(candidate.path("payload").path("n").asInt()).isEqualTo(1);

                // Over 125 bytes: the 16-bit length; an odd length: the mask's byte-by-byte end.
                String sdp = "v=0\r\n" + "a=x".repeat(1_333);
                a.sendText(Json.write(java.util.Map.of("type", "offer", "payload", java.util.Map.of("sdp", sdp))));
                assertThat(bob.next("offer").path("payload").path("sdp").asText())
                        .as("the offer's SDP as alice sent it, masked")
                        .isEqualTo(sdp);

                await("six pings each (twice the relay's timeout), answered")
                        .atMost(WAIT)
                        .until(() -> a.pings() >= 6 && b.pings() >= 6);
                assertThat(alice.closed).as("alice, idle but answering pings").isNotDone();
                b.sendText("{\"type\":\"candidate\",\"payload\":{\"n\":2}}");
                assertThat(alice.next("candidate").path("payload").path("n").asInt())
                        .isEqualTo(2);

                a.close(1000, "bye");
                assertThat(alice.closed).succeedsWithin(WAIT).asString().startsWith("1000");
                bob.next("peer-left");
            } finally {
                relay.close();
            }
        }

        @Test
        @DisplayName("an upgrade the server refuses ends the socket, saying the server's answer")
        void refused() throws Exception {
            Relay relay = Relay.start(
                    RelayConfig.defaults().withPort(0).withStunPort(-1).withWebSocketEnabled(true));
            try (NioWebSockets sockets = new NioWebSockets("test-refused")) {
                Heard heard = new Heard();
                sockets.open(URI.create(relay.url().replaceFirst("^http", "ws") + "/nowhere"), heard);
                assertThat(heard.closed)
                        .succeedsWithin(WAIT)
                        .asString()
                        .contains("refused the upgrade")
                        .contains("HTTP/1.1 4");
                assertThat(heard.open).isNotDone();
            } finally {
                relay.close();
            }
        }
    }

    @Nested
    @DisplayName("against a bare Jetty endpoint")
    class AgainstJetty {

        @Test
        @DisplayName("a fragmented message arrives whole, a ping is answered with its payload, big frames both ways"
                + " arrive intact, and the closing handshakes of either side end the socket with the code")
        void frames() throws Exception {
            CompletableFuture<String> pong = new CompletableFuture<>();
            CompletableFuture<String> serverClosed = new CompletableFuture<>();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(WebSocketUpgradeHandler.from(
                    server,
                    container -> container.addMapping(
                            "/*", (request, response, callback) -> new Fragmenter(pong, serverClosed))));
            server.start();
            try (NioWebSockets sockets = new NioWebSockets("test-jetty")) {
                URI uri = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/f");
                Heard heard = new Heard();
                NioWebSockets.Socket socket = sockets.open(uri, heard);
                assertThat(heard.open).succeedsWithin(WAIT);
                assertThat(heard.next()).as("three fragments, one message").isEqualTo("{\"part\":1,\"end\":true}");
                assertThat(pong)
                        .as("the pong to the ping 'hi'")
                        .succeedsWithin(WAIT)
                        .isEqualTo("hi");
                assertThat(socket.pings()).isEqualTo(1);

                String big = "0123456789abcdef".repeat(1_250); // 20,000 bytes out; 80,000 (64-bit length) back
                socket.sendText(big);
                assertThat(heard.next()).as("the echo, four times over").isEqualTo(big.repeat(4));

                socket.close(1000, "bye");
                assertThat(serverClosed).succeedsWithin(WAIT).isEqualTo("1000 bye");
                assertThat(heard.closed).succeedsWithin(WAIT).asString().startsWith("1000");

                Heard second = new Heard();
                NioWebSockets.Socket other = sockets.open(uri, second);
                assertThat(second.open).succeedsWithin(WAIT);
                other.sendText("close");
                assertThat(second.closed)
                        .as("the server's own close, answered")
                        .succeedsWithin(WAIT)
                        .isEqualTo("4001 asked");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    @DisplayName("masking a long at a time gives what masking byte by byte gives, at every length and offset")
    void masking() {
        Random random = new Random(7);
        for (int length = 0; length < 40; length++) {
            for (int offset = 0; offset < 9; offset++) {
                byte[] data = new byte[offset + length + 3];
                random.nextBytes(data);
                byte[] expected = data.clone();
                int key = random.nextInt();
                for (int i = 0; i < length; i++) {
                    expected[offset + i] ^= (byte) (key >>> (24 - 8 * (i % 4)));
                }
                NioWebSockets.mask(data, offset, length, key);
                assertThat(data).as("length %d at offset %d", length, offset).isEqualTo(expected);
            }
        }
    }

    @Test
    @DisplayName("the accept key is RFC 6455's own example")
    void acceptKey() {
        assertThat(NioWebSockets.accept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    /**
     * A Jetty endpoint that, once open, pings with "hi" and sends a message in three fragments; echoes each text
     * four times over in one frame; closes with 4001 when told "close".
     */
    public static final class Fragmenter implements Session.Listener.AutoDemanding {
        private final CompletableFuture<String> pong;
        private final CompletableFuture<String> closed;
        private volatile Session session;

        Fragmenter(CompletableFuture<String> pong, CompletableFuture<String> closed) {
            this.pong = pong;
            this.closed = closed;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            Callback.Completable.with(c -> session.sendPing(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), c))
                    .compose(c -> session.sendPartialText("{\"part\":", false, c))
                    .compose(c -> session.sendPartialText("1,", false, c))
                    .compose(c -> session.sendPartialText("\"end\":true}", true, c));
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            pong.complete(StandardCharsets.UTF_8.decode(payload).toString());
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.equals("close")) {
                session.close(4001, "asked", Callback.NOOP);
            } else {
                session.sendText(message.repeat(4), Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
        }
    }
}
