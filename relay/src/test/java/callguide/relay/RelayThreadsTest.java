package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The relay's threads and what a join leaves behind")
class RelayThreadsTest {

    private static Relay start() {
        return Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withCaps(Caps.generous()));
    }

    @Test
    @Timeout(60)
    @DisplayName("holds more polls than it has threads, and still answers every request and forwards every message")
    void morePollsThanThreads() throws Exception {
        try (Relay relay = start()) {
            int peers = relay.maxThreads() + 6; // more held polls than threads: none may hold one
            List<PollingTestPeer> silent = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                PollingTestPeer peer = PollingTestPeer.joinSilent(relay, "threads-" + (i / 2), i % 2 == 0 ? "a" : "b");
                assertThat(peer.joinStatus).as("peer %d joins", i).isEqualTo(201);
                silent.add(peer);
            }
            for (PollingTestPeer peer : silent) {
                JsonNode first = TestClient.JSON
                        .readTree(peer.poll(0, 0, peer.token).body())
                        .path("messages");
                held.add(peer.pollAsync(last(first), 20, peer.token));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.heldPolls() == peers);
            assertThat(TestClient.health(relay).path("status").asText())
                    .as("the relay answers while every thread it has could be taken by a held poll")
                    .isEqualTo("ok");
            for (int i = 0; i + 1 < peers; i += 2) {
                TestClient.Answer sent = silent.get(i).sendFrame("{\"type\":\"x-note\",\"payload\":{\"n\":" + i + "}}");
                assertThat(sent.status())
                        .as("room %d's message is taken", i / 2)
                        .isEqualTo(202);
            }
            for (int i = 0; i + 1 < peers; i += 2) {
                CompletableFuture<HttpResponse<String>> answer = held.get(i + 1);
                assertThat(answer).as("room %d's held poll is answered", i / 2).succeedsWithin(Duration.ofSeconds(10));
                assertThat(answer.join().body()).contains("\"payload\":{\"n\":" + i + "}");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length", "chunked"})
    @Timeout(60)
    @DisplayName("reads a message's body before a thread takes it: bodies that never come hold none of its threads")
    void slowBodies(String framing) throws Exception {
        try (Relay relay = start()) {
            int senders = 4 * relay.maxThreads(); // many more unfinished bodies than threads
            List<java.net.Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < senders; i++) {
                    PollingTestPeer peer = PollingTestPeer.joinSilent(relay, "slow-body-" + i, "a");
                    assertThat(peer.joinStatus).as("peer %d joins", i).isEqualTo(201);
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.port());
                    sockets.add(socket);
                    // The headers, and the body's first byte of the 50,000 announced (its length, or its first
                    // chunk's):
                    // the rest never comes. (More than Jetty's input buffer: a short body, Jetty waits for itself.)
                    socket.getOutputStream()
                            .write(("POST /rooms/slow-body-" + i + "/peers/a/messages HTTP/1.1\r\n"
                                            + "Host: 127.0.0.1:" + relay.port() + "\r\n"
                                            + "Authorization: Bearer " + peer.token + "\r\n"
                                            + "Content-Type: application/json\r\n"
                                            + (framing.equals("chunked")
                                                    ? "Transfer-Encoding: chunked\r\n\r\nc350\r\n{"
                                                    : "Content-Length: 50000\r\n\r\n{"))
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
                PollingTestPeer a = PollingTestPeer.joinSilent(relay, "slow-body-others", "a");
                PollingTestPeer b = PollingTestPeer.joinSilent(relay, "slow-body-others", "b");
                assertThat(TestClient.health(relay).path("status").asText())
                        .as("the relay answers while %d bodies are unfinished", senders)
                        .isEqualTo("ok");
                assertThat(a.sendFrame("{\"type\":\"x-note\",\"payload\":{\"n\":1}}")
                                .status())
                        .as("another room's message is taken")
                        .isEqualTo(202);
                assertThat(b.poll(0, 5, b.token).body()).contains("\"payload\":{\"n\":1}");
            } finally {
                for (java.net.Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length", "chunked"})
    @Timeout(30)
    @DisplayName("takes a message whose body comes in parts, the rest after the relay had to wait for it")
    void bodyInParts(String framing) throws Exception {
        try (Relay relay = start();
                PollingTestPeer a = PollingTestPeer.joinSilent(relay, "threads-parts", "a");
                PollingTestPeer b = PollingTestPeer.joinSilent(relay, "threads-parts", "b");
                java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.port())) {
            // Longer than Jetty's input buffer, so it gets the request before the whole body, whatever its framing.
            String note = "{\"type\":\"x-note\",\"payload\":{\"n\":3,\"pad\":\"" + "p".repeat(20_000) + "\"}}";
            boolean chunked = framing.equals("chunked");
            String head = "POST /rooms/threads-parts/peers/a/messages HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + relay.port() + "\r\n"
                    + "Authorization: Bearer " + a.token + "\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\n"
                    + (chunked
                            ? "Transfer-Encoding: chunked\r\n\r\n"
                            : "Content-Length: " + note.length() + "\r\n\r\n");
            String first = note.substring(0, 10_000);
            String rest = note.substring(10_000);
            write(socket, head + (chunked ? Integer.toHexString(first.length()) + "\r\n" + first + "\r\n" : first));
            // A round trip on another connection: by then the relay has read the first part and waits for more.
            assertThat(TestClient.health(relay).path("status").asText()).isEqualTo("ok");
            write(socket, chunked ? Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n" : rest);
            String answer =
                    new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 202");
            assertThat(b.pollMessages(1, 5))
                    .extracting(m -> m.path("payload").path("n").asInt())
                    .containsExactly(3);
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("answers held polls whose clients went away without a failure, and keeps nothing of them")
    void pollsLeftBehind() throws Exception {
        String gone = "127.0.0.2"; // their own address, so their connections are counted apart
        try (Relay relay = start()) {
            int peers = 10;
            List<PollingTestPeer> silent = new ArrayList<>();
            List<java.net.Socket> sockets = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                PollingTestPeer peer = PollingTestPeer.joinSilent(relay, "threads-gone-" + i, "a");
                silent.add(peer);
                java.net.Socket socket =
                        new java.net.Socket("127.0.0.1", relay.port(), java.net.InetAddress.getByName(gone), 0);
                sockets.add(socket);
                write(
                        socket,
                        "GET /rooms/threads-gone-" + i + "/peers/a/messages?after=1&wait=20 HTTP/1.1\r\n"
                                + "Host: 127.0.0.1:" + relay.port() + "\r\n"
                                + "Authorization: Bearer " + peer.token + "\r\n\r\n");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.heldPolls() == peers);
            for (java.net.Socket socket : sockets) {
                socket.setSoLinger(true, 0); // gone at once (a reset), as a closed tab's connection
                socket.close();
            }
            List<PollingTestPeer> others = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                PollingTestPeer other = PollingTestPeer.joinSilent(relay, "threads-gone-" + i, "b");
                others.add(other); // its join wakes a's held poll with peer-joined, for nobody
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.heldPolls() == 0);
            await("their connections closed")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> relay.connector().openFrom(gone) == 0);
            for (PollingTestPeer peer : silent) {
                assertThat(peer.pollMessages(1, 5))
                        .as("what the lost answer carried is polled again")
                        .extracting(m -> m.path("type").asText())
                        .containsExactly("peer-joined");
            }
            assertThat(relay.internalErrors())
                    .as("no failure of the relay's own")
                    .isZero();
            assertThat(TestClient.health(relay).path("status").asText()).isEqualTo("ok");
        }
    }

    private static void write(java.net.Socket socket, String text) throws java.io.IOException {
        socket.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    @Test
    @Timeout(30)
    @DisplayName("keeps no HTTP session for a WebSocket join, and sets no cookie")
    void noSession() throws Exception {
        try (Relay relay = start()) {
            RawHttp.Response upgrade = RawHttp.upgrade(relay, "threads-session", "a", Map.of());
            assertThat(upgrade.status()).isEqualTo(101);
            assertThat(upgrade.head().toLowerCase(java.util.Locale.ROOT))
                    .as("the upgrade's answer: a session cookie would mean a session kept for every join")
                    .doesNotContain("set-cookie");
        }
    }

    private static long last(JsonNode messages) {
        return messages.get(messages.size() - 1).path("seq").asLong();
    }
}
