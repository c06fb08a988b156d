package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("the relay's faults (--faults), on purpose and within bounds")
class RelayFaultsTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private static Relay start(String faults) {
        return Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withFaults(Faults.parse(faults)));
    }

    private static Map<String, Object> candidate(int n) {
        return Map.of(
                "candidate",
                "candidate:" + n + " 1 udp 1686052607 127.0.0.1 " + (50000 + n) + " typ srflx raddr 0.0.0.0 rport 0",
                "sdpMid",
                "0",
                "sdpMLineIndex",
                0);
    }

    private static final Map<String, Object> OFFER = Map.of("type", "offer", "sdp", "v=0 offer");
    private static final Map<String, Object> ANSWER = Map.of("type", "answer", "sdp", "v=0 answer");

    /** Two peers in a fresh room, alice first (her peer-joined taken), each with nothing else in its inbox. */
    private record Pair(TestClient alice, TestClient bob, Relay relay) implements AutoCloseable {
        /** Alice and bob on {@code relay}, which closes with them. */
        static Pair on(Relay relay, String transport) throws Exception {
            try {
                Pair p = join(relay, transport);
                return new Pair(p.alice(), p.bob(), relay);
            } catch (Exception | AssertionError e) {
                relay.close();
                throw e;
            }
        }

        static Pair join(Relay relay, String transport) throws Exception {
            String room = "faults-" + ROOMS.incrementAndGet();
            TestClient alice = TestClient.join(transport, relay, room, "alice");
            TestClient bob = TestClient.join(transport, relay, room, "bob");
            assertThat(type(alice.next())).isEqualTo("welcome");
            assertThat(type(alice.next())).isEqualTo("peer-joined");
            assertThat(type(bob.next())).isEqualTo("welcome");
            return new Pair(alice, bob, null);
        }

        @Override
        public void close() throws Exception {
            bob.close();
            alice.close();
            if (relay != null) {
                relay.close();
            }
        }
    }

    private static String type(JsonNode message) {
        return message.path("type").asText();
    }

    /** What each message is: its type, and a candidate's number ({@code candidate:3}). */
    private static List<String> names(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : messages) {
            out.add(
                    type(m).equals("candidate")
                            ? m.path("payload").path("candidate").asText().split(" ")[0]
                            : type(m));
        }
        return out;
    }

    /** An offer, then {@code candidates} candidates numbered from 1, as a trickling caller sends them. */
    private static void offerThenCandidates(TestClient peer, int candidates) throws Exception {
        peer.send("offer", OFFER);
        for (int i = 1; i <= candidates; i++) {
            peer.send("candidate", candidate(i));
        }
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("seq").asLong()).toList();
    }

    static JsonNode liveView(Relay relay) throws Exception {
        HttpResponse<String> response = TestClient.http(relay)
                .send(
                        HttpRequest.newBuilder(URI.create(relay.url() + "/api/rooms"))
                                .timeout(TestClient.WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return TestClient.JSON.readTree(response.body());
    }

    /** The live view's entries of {@code type} in every room, oldest first. */
    static List<JsonNode> entries(Relay relay, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode room : liveView(relay).path("rooms")) {
            for (JsonNode m : room.path("messages")) {
                if (type.equals(m.path("type").asText())) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    @Nested
    @DisplayName("early-candidates")
    class EarlyCandidates {

        @Test
        @DisplayName("delivers every candidate sent after an offer (and after an answer) before it, then the rest in"
                + " order, over either transport")
        void candidatesFirst() throws Exception {
            try (Relay relay = start("early-candidates")) {
                for (String transport : List.of("websocket", "polling")) {
                    try (Pair p = Pair.join(relay, transport)) {
                        long sent = System.nanoTime();
                        offerThenCandidates(p.alice(), 3);
                        p.alice().send("x-after", Map.of());
                        List<JsonNode> got = p.bob().next(5);
                        long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                        assertThat(names(got))
                                .as("what bob received over %s, in order", transport)
                                .containsExactly("candidate:1", "candidate:2", "candidate:3", "offer", "x-after");
                        assertThat(seqs(got)).as("seq still increases by one").isSorted();
                        assertThat(held)
                                .as("ms before the offer came: held at least the quiet time after its last candidate")
                                .isGreaterThanOrEqualTo(Faults.QUIET.toMillis());

                        p.bob().send("answer", ANSWER);
                        p.bob().send("candidate", candidate(7));
                        assertThat(names(p.alice().next(2)))
                                .as("what alice received: the callee's candidate before its answer")
                                .containsExactly("candidate:7", "answer");
                    }
                }
                assertThat(relay.heldByFaults()).as("messages still held").isZero();
            }
        }

        @Test
        @DisplayName("holds an offer no longer than its longest hold, however many candidates keep coming")
        void boundedHold() throws Exception {
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try (Pair p = Pair.on(start("early-candidates"), "websocket")) {
                long sent = System.nanoTime();
                p.alice().send("offer", OFFER);
                AtomicInteger n = new AtomicInteger();
                trickle.scheduleAtFixedRate(
                        () -> {
                            try {
                                p.alice().send("candidate", candidate(n.incrementAndGet()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        0,
                        Faults.QUIET.toMillis() / 3,
                        TimeUnit.MILLISECONDS);
                JsonNode offer = p.bob().next("offer");
                long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                assertThat(offer.path("payload").path("sdp").asText()).isEqualTo("v=0 offer");
                assertThat(held)
                        .as("ms the offer was held while a candidate came every %d ms", Faults.QUIET.toMillis() / 3)
                        .isBetween(Faults.LONGEST_HOLD.toMillis() - 100, Faults.LONGEST_HOLD.toMillis() + 2000);
                assertThat(type(p.bob().next()))
                        .as("what comes after: the candidates sent since")
                        .isEqualTo("candidate");
            } finally {
                trickle.shutdownNow();
                assertThat(trickle.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            }
        }

        @Test
        @DisplayName("delivers what a peer that leaves still had held before telling the other it left")
        void leavingFlushes() throws Exception {
            try (Pair p = Pair.on(start("early-candidates,delay=2000"), "websocket")) {
                p.alice().send("offer", OFFER);
                p.alice().send("candidate", candidate(1));
                p.alice().close();
                assertThat(names(p.bob().next(3)))
                        .as("bob's stream once alice left, before any hold or delay ran out")
                        .containsExactly("candidate:1", "offer", "peer-left");
                assertThat(p.relay().heldByFaults()).isZero();
            }
        }

        @Test
        @DisplayName("the live view says the relay misbehaves and marks what it did to each message")
        void liveViewMarks() throws Exception {
            try (Pair p = Pair.on(start("early-candidates"), "websocket")) {
                p.alice().send("offer", OFFER);
                p.alice().send("candidate", candidate(1));
                p.alice().send("x-after", Map.of());
                p.bob().next(3);
                assertThat(liveView(p.relay()).path("faults").asText()).isEqualTo("early-candidates");
                assertThat(entries(p.relay(), "candidate").get(0).path("fault").asText())
                        .isEqualTo("sent after the offer, delivered before it");
                assertThat(entries(p.relay(), "offer").get(0).path("fault").asText())
                        .matches("held \\d+ ms, until 1 candidate sent after it had gone");
                assertThat(entries(p.relay(), "x-after").get(0).has("fault"))
                        .as("a message the fault did not change is not marked")
                        .isFalse();
            }
        }
    }

    @Test
    @DisplayName("hold at most their cap of messages in a room; beyond it, deliver at once, in order, losing nothing")
    void boundedMemory() throws Exception {
        int messages = FaultInjector.MAX_PENDING + 100;
        try (Pair p = Pair.on(
                Relay.start(RelayConfig.defaults()
                        .withPort(0)
                        .withStunPort(-1)
                        .withRateBurst(2 * messages)
                        .withFaults(Faults.parse("delay=5000"))),
                "websocket")) {
            for (int i = 1; i <= messages; i++) {
                p.alice().send("x-n", Map.of("n", i));
            }
            List<JsonNode> got = p.bob().next(messages);
            assertThat(p.relay().heldByFaults()).as("held at the end").isZero();
            for (int i = 1; i <= messages; i++) {
                assertThat(got.get(i - 1).path("payload").path("n").asInt())
                        .as("the %dth message bob received", i)
                        .isEqualTo(i);
            }
            assertThat(entries(p.relay(), "x-n"))
                    .as("the live view says which message went at once, and why")
                    .anyMatch(e -> e.path("fault").asText().contains("at most " + FaultInjector.MAX_PENDING));
        }
    }

    @Test
    @DisplayName("duplicate delivers every message twice, each copy with its own seq, marked in the live view")
    void duplicate() throws Exception {
        try (Pair p = Pair.on(start("duplicate"), "polling")) {
            p.alice().send("offer", OFFER);
            p.alice().send("candidate", candidate(1));
            List<JsonNode> got = p.bob().next(4);
            assertThat(names(got)).containsExactly("offer", "offer", "candidate:1", "candidate:1");
            assertThat(got.get(1).path("payload")).isEqualTo(got.get(0).path("payload"));
            assertThat(seqs(got)).as("seq of each copy").doesNotHaveDuplicates().isSorted();
            assertThat(p.bob().quietFor(Duration.ofMillis(300)))
                    .as("nothing more than two copies")
                    .isTrue();
            assertThat(entries(p.relay(), "offer").get(1).path("fault").asText())
                    .contains("duplicate");
        }
    }

    @Test
    @DisplayName("reorder delivers a run of candidates shuffled, all of them, before what followed them")
    void reorder() throws Exception {
        try (Pair p = Pair.on(start("reorder"), "websocket")) {
            offerThenCandidates(p.alice(), 5);
            p.alice().send("x-after", Map.of());
            List<String> got = names(p.bob().next(7));
            assertThat(got.get(0)).isEqualTo("offer");
            assertThat(got.subList(1, 6))
                    .as("the candidates, shuffled")
                    .containsExactlyInAnyOrder(
                            "candidate:1", "candidate:2", "candidate:3", "candidate:4", "candidate:5")
                    .isNotEqualTo(List.of("candidate:1", "candidate:2", "candidate:3", "candidate:4", "candidate:5"));
            assertThat(got.get(6)).isEqualTo("x-after");
            assertThat(entries(p.relay(), "candidate"))
                    .as("live view entries marked reordered")
                    .anyMatch(e -> e.path("fault").asText().startsWith("reordered: sent "));
        }
    }

    @Test
    @DisplayName("reorder lets a run of candidates go within its window when nothing follows them")
    void reorderWindow() throws Exception {
        try (Pair p = Pair.on(start("reorder"), "websocket")) {
            p.alice().send("candidate", candidate(1));
            p.alice().send("candidate", candidate(2));
            assertThat(names(p.bob().next(2))).containsExactly("candidate:2", "candidate:1");
        }
    }

    @Test
    @DisplayName("delay=MS delivers every message that much later, in the order sent")
    void delay() throws Exception {
        try (Pair p = Pair.on(start("delay=300"), "websocket")) {
            long sent = System.nanoTime();
            p.alice().send("x-one", Map.of());
            p.alice().send("x-two", Map.of());
            assertThat(p.bob().quietFor(Duration.ofMillis(200)))
                    .as("nothing within 200 ms")
                    .isTrue();
            assertThat(names(p.bob().next(2))).containsExactly("x-one", "x-two");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(300);
            assertThat(entries(p.relay(), "x-one").get(0).path("fault").asText())
                    .isEqualTo("delayed 300 ms");
        }
    }

    @Test
    @DisplayName("all at once: candidates first, shuffled, each twice, later; then the offer twice")
    void together() throws Exception {
        try (Pair p = Pair.on(start("early-candidates,reorder,duplicate,delay=100"), "websocket")) {
            offerThenCandidates(p.alice(), 3);
            List<String> got = names(p.bob().next(8));
            assertThat(got.subList(0, 6))
                    .containsExactlyInAnyOrder(
                            "candidate:1", "candidate:1", "candidate:2", "candidate:2", "candidate:3", "candidate:3");
            assertThat(got.subList(6, 8)).containsExactly("offer", "offer");
            await("nothing left held")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> p.relay().heldByFaults() == 0);
        }
    }

    @Test
    @DisplayName(
            "no-websocket refuses WebSocket upgrades, so clients fall back to long polling, and the start-up says so")
    void noWebSocket() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RelayMain.Launch launch = RelayMain.launch(
                new String[] {"--port", "0", "--stun-port", "-1", "--faults", "no-websocket"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        try (Relay relay = launch.relay()) {
            assertThat(relay).as("started; its errors: %s", err).isNotNull();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("(long polling only)")
                    .contains("faults on (the relay misbehaves on purpose; the live view marks what it did): "
                            + "no-websocket");
            assertThatThrownBy(() -> WsTestPeer.connect(relay, "room?peer=alice", "alice"))
                    .as("a WebSocket upgrade")
                    .isInstanceOf(ExecutionException.class);
            try (Pair p = Pair.join(relay, "polling")) {
                p.alice().send("offer", OFFER);
                assertThat(type(p.bob().next())).isEqualTo("offer");
            }
        }
    }

    @Test
    @DisplayName("are off unless asked for: nothing held, nothing marked, nothing said at start")
    void offByDefault() throws Exception {
        assertThat(RelayConfig.defaults().faults().any()).isFalse();
        assertThat(RelayMain.parse().faults()).isEqualTo(Faults.none());
        try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1));
                Pair p = Pair.join(relay, "websocket")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RelayMain.announce(relay, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("faults");
            p.alice().send("offer", OFFER);
            p.alice().send("candidate", candidate(1));
            assertThat(names(p.bob().next(2))).containsExactly("offer", "candidate:1");
            assertThat(liveView(relay).path("faults").asText()).isEmpty();
            assertThat(entries(relay, "offer").get(0).has("fault")).isFalse();
        }
    }

    @Test
    @DisplayName("a fault list it does not know is refused with what it takes, and ./workshop relay exits 2")
    void badList() {
        assertThatThrownBy(() -> Faults.parse("early-candidates,lossy"))
                .hasMessage("unknown fault \"lossy\": the faults are " + Faults.NAMES);
        assertThatThrownBy(() -> Faults.parse("delay=0")).hasMessageContaining("from 1 to 10000");
        assertThatThrownBy(() -> Faults.parse("delay=20000")).hasMessageContaining("from 1 to 10000");
        assertThatThrownBy(() -> Faults.parse("delay=soon")).hasMessageContaining("not \"delay=soon\"");
        assertThat(Faults.parse(" delay=150ms , duplicate ").toString()).isEqualTo("duplicate,delay=150");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RelayMain.Launch launch = RelayMain.launch(
                new String[] {"--faults", "sometimes"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("relay: unknown fault \"sometimes\"");
    }
}
