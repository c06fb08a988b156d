package callguide.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.kit.ice.IceProfile;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.ForwardingRelayClient;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.testkit.RelayExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ./workshop peer} as its own process against the real relay, with the other side a peer
 * that speaks protocol v1 and nothing more: it never sends an {@code x-} message. The peer's
 * verdict must come from what it saw itself.
 */
@DisplayName("a Java peer process")
class PeerMainTest {
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun();

    private static final Duration CALL = Duration.ofSeconds(40);

    @Nested
    @DisplayName("against a peer that sends no x- message")
    class AgainstAProtocolOnlyPeer {

        @Test
        @Timeout(60)
        @DisplayName("reports connected: true with the selected pair from its own stats, and exits 0")
        void connectedFromWhatItSaw() throws Exception {
            String room = room();
            try (PeerProcess callee = peer(room, "--linger", "1");
                    CallPeer caller = protocolOnlyCaller(room)) {
                assertThat(caller.start())
                        .as("the protocol-only caller's report")
                        .succeedsWithin(CALL)
                        .extracting(CallReport::failure)
                        .isNull();

                assertThat(callee.exit())
                        .as("the peer process's exit code%n%s", callee.transcript())
                        .succeedsWithin(CALL)
                        .isEqualTo(0);
                JsonNode report = callee.report();
                assertThat(report)
                        .as("its REPORT line%n%s", callee.transcript())
                        .isNotNull();
                assertThat(report.path("connected").asBoolean()).as("connected").isTrue();
                assertThat(report.path("selected_pair").path("local").asText())
                        .as("selected_pair.local")
                        .matches("(srflx|prflx|host) 127\\.0\\.0\\.1:\\d+");
                assertThat(report.path("video_frames_received").asLong())
                        .as("video frames received")
                        .isPositive();
            }
        }

        @Test
        @Timeout(60)
        @DisplayName("ends cleanly with exit 0 when that peer hangs up after the call is up, and says who ended it")
        void hangupEndsTheCall() throws Exception {
            String room = room();
            List<String> events = new CopyOnWriteArrayList<>();
            try (PeerProcess callee = PeerProcess.start(
                    "callee",
                    List.of(),
                    PeerMain.class,
                    List.of(
                            "--relay",
                            RELAY.url(),
                            "--room",
                            room,
                            "--peer",
                            "callee",
                            "--role",
                            "callee",
                            "--events",
                            "--linger",
                            "600"),
                    events::add)) {
                CallPeer caller = protocolOnlyCaller(room);
                assertThat(caller.start())
                        .as("the caller's report")
                        .succeedsWithin(CALL)
                        .extracting(CallReport::failure)
                        .isNull();
                await("the callee's own media verdict")
                        .atMost(CALL)
                        .until(() -> events.stream().anyMatch(l -> l.contains("media received")));

                caller.close(); // sends hangup, then leaves

                assertThat(callee.exit())
                        .as("exit code after the other side hung up%n%s", callee.transcript())
                        .succeedsWithin(Duration.ofSeconds(15))
                        .isEqualTo(0);
                assertThat(callee.report().path("ended_by").asText())
                        .as("ended_by")
                        .isEqualTo("the other side hung up");
                assertThat(callee.stdout())
                        .as("the callee's timeline")
                        .anyMatch(l -> l.contains("\"value\":\"the other side hung up\""))
                        .anyMatch(l -> l.contains("\"kind\":\"connection-state\"") && l.contains("CLOSED"));
            }
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("fails with exit 1, saying so, when the other peer leaves before the call is up")
    void leftBeforeTheCall() throws Exception {
        String room = room();
        CompletableFuture<Void> peerJoined = new CompletableFuture<>();
        RelayClient other = RelayClient.webSocket(RELAY.uri(), room, "caller", message -> {
                    if (MessageTypes.PEER_JOINED.equals(message.type())) {
                        peerJoined.complete(null);
                    }
                })
                .get();
        try (PeerProcess callee = peer(room)) {
            assertThat(peerJoined).as("the peer process joins the room").succeedsWithin(CALL);
            other.close();

            assertThat(callee.exit())
                    .as("exit code%n%s", callee.transcript())
                    .succeedsWithin(CALL)
                    .isEqualTo(1);
            assertThat(callee.report().path("failure").asText())
                    .as("the failure")
                    .contains("the other side left the room")
                    .contains("before the call was up");
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("exits 2 within its timeout, naming the relay, when the relay cannot be reached")
    void unreachableRelay() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (PeerProcess peer = PeerProcess.start(
                "peer",
                List.of(),
                PeerMain.class,
                List.of(
                        "--relay",
                        "http://127.0.0.1:" + closed,
                        "--room",
                        "r",
                        "--role",
                        "caller",
                        "--timeout",
                        "5"))) {
            assertThat(peer.exit())
                    .as("exit code%n%s", peer.transcript())
                    .succeedsWithin(Duration.ofSeconds(20))
                    .isEqualTo(2);
            assertThat(peer.stderr())
                    .as("what it says")
                    .contains("cannot reach the relay at http://127.0.0.1:" + closed);
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("exits 2, saying why, when /config names an ICE server it cannot use")
    void unusableConfig() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body =
                "{\"iceServers\": [{\"urls\": [\"foo:bar\"]}], \"loopback\": false}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/config", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (PeerProcess peer = PeerProcess.start(
                "peer",
                List.of(),
                PeerMain.class,
                List.of(
                        "--relay",
                        "http://127.0.0.1:" + server.getAddress().getPort(),
                        "--room",
                        "r",
                        "--role",
                        "caller"))) {
            assertThat(peer.exit())
                    .as("exit code%n%s", peer.transcript())
                    .succeedsWithin(Duration.ofSeconds(20))
                    .isEqualTo(2);
            assertThat(peer.stderr())
                    .as("what it says")
                    .contains("cannot use")
                    .contains("'foo:bar' is not an ICE server URL");
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Timeout(30)
    @DisplayName("exits 2 with its usage on a flag it does not know or a value out of range")
    void badFlags() throws Exception {
        for (List<String> args : List.of(
                List.of("--relay", RELAY.url(), "--room", "r", "--role", "caller", "--bogus", "x"),
                List.of("--relay", RELAY.url(), "--room", "r", "--role", "caller", "--timeout", "-3"),
                List.of("--relay", "ftp://x", "--room", "r", "--role", "caller"),
                List.of("--relay", RELAY.url(), "--room", "r", "--role", "caller", "--fingerprint", "AB:CD"))) {
            try (PeerProcess peer = PeerProcess.start("peer", List.of(), PeerMain.class, args)) {
                assertThat(peer.exit())
                        .as("exit code for %s%n%s", args, peer.transcript())
                        .succeedsWithin(Duration.ofSeconds(20))
                        .isEqualTo(2);
                assertThat(peer.stderr()).as("stderr for %s", args).startsWith("peer: ");
            }
        }
    }

    private static PeerProcess peer(String room, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(
                List.of("--relay", RELAY.url(), "--room", room, "--peer", "callee", "--role", "callee", "--report"));
        args.addAll(List.of(extra));
        return PeerProcess.start("callee", List.of(), PeerMain.class, args);
    }

    /** A caller that never sends an {@code x-} message, as a peer written from protocol v1 alone. */
    private static CallPeer protocolOnlyCaller(String room) {
        return new CallPeer(CallPeer.Options.of(
                        Role.CALLER,
                        RELAY.uri(),
                        room,
                        "caller",
                        IceProfile.loopback(RELAY.stunPort()),
                        FiveSteps.TRICKLE)
                .withTimeout(CALL)
                .withOutgoing(WithoutExtensions::new));
    }

    private static String room() {
        return "peer-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The relay connection of a peer that sends only what protocol v1 defines. */
    private static final class WithoutExtensions extends ForwardingRelayClient {
        WithoutExtensions(RelayClient relay) {
            super(relay);
        }

        @Override
        public CompletableFuture<Void> send(Envelope message) {
            return message.type().startsWith(MessageTypes.EXTENSION_PREFIX)
                    ? CompletableFuture.completedFuture(null)
                    : super.send(message);
        }
    }
}
