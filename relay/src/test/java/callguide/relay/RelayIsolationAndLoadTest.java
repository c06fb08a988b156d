package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The relay's rooms, under load and at departures")
class RelayIsolationAndLoadTest {
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static Relay relay;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        // A generous rate limit and caps: these tests push thousands of messages through one peer, and
        // hundreds of peers from this one address, on purpose (RelayBoundedQueuesTest tests the caps).
        relay = Relay.start(RelayConfig.defaults()
                .withPort(0)
                .withStunPort(-1)
                .withRateBurst(10_000)
                .withRatePerSecond(10_000)
                .withCaps(Caps.generous()));
        pool = Executors.newFixedThreadPool(32);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        relay.close();
    }

    private static String room() {
        return "load-" + ROOMS.incrementAndGet();
    }

    private static String type(JsonNode message) {
        return message.path("type").asText();
    }

    @Test
    @DisplayName(
            "delivers no message to a peer outside its room, even to a peer of the same name, even when to names one")
    void isolation() throws Exception {
        int rooms = 10;
        List<TestClient[]> pairs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (TestClient carol = TestClient.join("websocket", relay, room(), "carol");
                TestClient dave = TestClient.join("polling", relay, room(), "dave")) {
            for (int i = 0; i < rooms; i++) {
                String room = room();
                ids.add(room);
                pairs.add(new TestClient[] {
                    TestClient.join(i % 2 == 0 ? "websocket" : "polling", relay, room, "alice"),
                    TestClient.join(i % 3 == 0 ? "polling" : "websocket", relay, room, "bob")
                });
            }
            for (int i = 0; i < rooms; i++) {
                TestClient[] pair = pairs.get(i);
                pair[0].next(2);
                pair[1].next(1);
                TestClient.Answer toCarol = pair[0].refusalOf(
                        "{\"type\":\"offer\",\"to\":\"carol\",\"payload\":{\"room\":\"" + ids.get(i) + "\"}}");
                assertThat(toCarol.code())
                        .as("to naming carol, who is in another room, is no-such-peer")
                        .isEqualTo("no-such-peer");
                for (int n = 0; n < 5; n++) {
                    pair[0].send("x-note", Map.of("room", ids.get(i), "n", n));
                    pair[1].sendTo("x-note", "alice", Map.of("room", ids.get(i), "n", n));
                }
            }
            for (int i = 0; i < rooms; i++) {
                for (TestClient peer : pairs.get(i)) {
                    List<JsonNode> notes = peer.next(5);
                    assertThat(notes)
                            .as(
                                    "%s in %s receives exactly its partner's 5 notes, all from its own room",
                                    peer.peer(), ids.get(i))
                            .extracting(m -> m.path("payload").path("room").asText() + "#"
                                    + m.path("payload").path("n").asInt())
                            .containsExactly(
                                    ids.get(i) + "#0",
                                    ids.get(i) + "#1",
                                    ids.get(i) + "#2",
                                    ids.get(i) + "#3",
                                    ids.get(i) + "#4");
                    assertThat(peer.quietFor(Duration.ofMillis(20)))
                            .as("%s in %s receives nothing more", peer.peer(), ids.get(i))
                            .isTrue();
                }
            }
            carol.next("welcome");
            dave.next("welcome");
            assertThat(carol.quietFor(Duration.ofMillis(100)))
                    .as("carol, alone in her room, receives nothing addressed to carol from other rooms")
                    .isTrue();
            assertThat(dave.quietFor(Duration.ofMillis(20)))
                    .as("dave, alone in his room, receives nothing")
                    .isTrue();
        } finally {
            for (TestClient[] pair : pairs) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("carries 200 rooms of 2 peers exchanging an offer, an answer and 20 candidates each way at once, "
            + "every message exactly once, in order")
    void twoHundredRooms() throws Exception {
        int rooms = 200;
        int candidates = 20;
        String[][] transports = {
            {"websocket", "websocket"}, {"polling", "polling"}, {"websocket", "polling"}, {"polling", "websocket"}
        };
        List<CompletableFuture<TestClient[]>> joining = new ArrayList<>();
        for (int i = 0; i < rooms; i++) {
            String room = room();
            String[] kind = transports[i % 4];
            joining.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            TestClient caller = TestClient.join(kind[0], relay, room, "caller");
                            return new TestClient[] {caller, TestClient.join(kind[1], relay, room, "callee")};
                        } catch (Exception e) {
                            throw new AssertionError("joining " + room + " failed: " + e, e);
                        }
                    },
                    pool));
        }
        List<TestClient[]> pairs = new ArrayList<>();
        try {
            for (CompletableFuture<TestClient[]> join : joining) {
                assertThat(join).as("every room's two peers join").succeedsWithin(Duration.ofSeconds(30));
                pairs.add(join.join());
            }
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (TestClient[] pair : pairs) {
                sending.add(CompletableFuture.runAsync(() -> sendSide(pair[0], "offer", candidates), pool));
                sending.add(CompletableFuture.runAsync(() -> sendSide(pair[1], "answer", candidates), pool));
            }
            for (CompletableFuture<Void> send : sending) {
                assertThat(send).as("every peer sends its messages").succeedsWithin(Duration.ofSeconds(30));
            }
            List<String> callerSide = expected("offer", candidates);
            List<String> calleeSide = expected("answer", candidates);
            for (TestClient[] pair : pairs) {
                checkStream(pair[0], List.of("welcome", "peer-joined"), "callee", calleeSide);
                checkStream(pair[1], List.of("welcome"), "caller", callerSide);
            }
        } finally {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (TestClient[] pair : pairs) {
                for (TestClient peer : pair) {
                    closing.add(CompletableFuture.runAsync(
                            () -> {
                                try {
                                    peer.close();
                                } catch (Exception ignored) {
                                    // the relay notices by itself
                                }
                            },
                            pool));
                }
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
    }

    private static void sendSide(TestClient peer, String sdpType, int candidates) {
        try {
            TestClient.Answer answer = peer.send(sdpType, Map.of("type", sdpType, "sdp", "v=0 " + peer.peer()));
            assertThat(answer.status())
                    .as("%s's %s is accepted", peer.peer(), sdpType)
                    .isIn(0, 202);
            for (int i = 0; i < candidates; i++) {
                answer = peer.send(
                        "candidate", Map.of("candidate", peer.peer() + " " + i, "sdpMid", "0", "sdpMLineIndex", 0));
                assertThat(answer.status())
                        .as("%s's candidate %d is accepted", peer.peer(), i)
                        .isIn(0, 202);
            }
        } catch (Exception e) {
            throw new AssertionError(peer.peer() + " could not send: " + e, e);
        }
    }

    private static List<String> expected(String sdpType, int candidates) {
        List<String> out = new ArrayList<>();
        out.add(sdpType + ":");
        String from = sdpType.equals("offer") ? "caller" : "callee";
        for (int i = 0; i < candidates; i++) {
            out.add("candidate:" + from + " " + i);
        }
        return out;
    }

    /**
     * The peer's whole stream: the relay's greetings, then exactly the partner's messages in order, seq 1, 2, 3, ...
     */
    private static void checkStream(TestClient peer, List<String> greetings, String partner, List<String> fromPartner)
            throws Exception {
        List<JsonNode> stream = peer.next(greetings.size() + fromPartner.size());
        assertThat(stream.subList(0, greetings.size()))
                .as("%s's stream opens with %s", peer.peer(), greetings)
                .extracting(RelayIsolationAndLoadTest::type)
                .isEqualTo(greetings);
        assertThat(stream.subList(greetings.size(), stream.size()))
                .as("%s receives %s's messages exactly once, in order", peer.peer(), partner)
                .extracting(
                        m -> type(m) + ":" + m.path("payload").path("candidate").asText(""))
                .isEqualTo(fromPartner);
        assertThat(stream.subList(greetings.size(), stream.size()))
                .as("every message %s receives comes from %s", peer.peer(), partner)
                .allSatisfy(m -> assertThat(m.path("from").asText()).isEqualTo(partner));
        for (int i = 0; i < stream.size(); i++) {
            assertThat(stream.get(i).path("seq").asLong())
                    .as("%s's message %d has seq %d", peer.peer(), i, i + 1)
                    .isEqualTo(i + 1);
        }
        assertThat(peer.quietFor(Duration.ofMillis(1)))
                .as("%s receives nothing more", peer.peer())
                .isTrue();
        if (peer instanceof PollingTestPeer polling) {
            assertThat(polling.violations)
                    .as("%s's poll responses broke no rule", peer.peer())
                    .isEmpty();
        }
    }

    @Test
    @Timeout(60)
    @DisplayName("gets a few thousand messages exactly once and in order to a polling peer whose poll responses are "
            + "abandoned or re-polled")
    void abandonedPolls() throws Exception {
        long seed = Long.getLong("polls.seed", System.nanoTime());
        System.out.println(
                "RelayIsolationAndLoadTest.abandonedPolls seed: " + seed + " (rerun with -Dpolls.seed=" + seed + ")");
        Random random = new Random(seed);
        int total = 3000;
        String room = room();
        try (PollingTestPeer receiver = PollingTestPeer.joinSilent(relay, room, "receiver");
                TestClient sender = TestClient.join("websocket", relay, room, "sender")) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(
                    () -> {
                        try {
                            for (int n = 0; n < total; n++) {
                                sender.send("x-n", Map.of("n", n));
                            }
                        } catch (Exception e) {
                            throw new AssertionError("the sender failed: " + e, e);
                        }
                    },
                    pool);
            List<Integer> received = new ArrayList<>();
            long after = 0;
            int abandoned = 0;
            int repolled = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (received.size() < total) {
                assertThat(System.nanoTime())
                        .as("all %d messages arrive in bounded time; got %d", total, received.size())
                        .isLessThan(deadline);
                // The first poll is always abandoned: a fast run may otherwise take everything in two or three polls
                // and abandon none.
                int dice = abandoned == 0 ? 0 : random.nextInt(10);
                long pollAfter =
                        dice == 9 ? Math.max(0, after - random.nextInt(100)) : after; // now and then an older after
                CompletableFuture<HttpResponse<String>> poll = receiver.pollAsync(pollAfter, 1, receiver.token);
                if (dice < 2) {
                    poll.cancel(true); // the response is abandoned, whatever it held
                    abandoned++;
                    continue;
                }
                HttpResponse<String> response;
                try {
                    response = poll.get(15, TimeUnit.SECONDS);
                } catch (CancellationException e) {
                    continue;
                }
                assertThat(response.statusCode())
                        .as("every poll is answered 200")
                        .isEqualTo(200);
                if (dice < 4) {
                    repolled++;
                    continue; // the response was lost on the way: the next poll asks from the same after
                }
                long last = pollAfter;
                for (JsonNode message : TestClient.parse(response.body()).path("messages")) {
                    long seq = message.path("seq").asLong();
                    assertThat(seq)
                            .as("a poll after %d holds only later seqs, increasing", pollAfter)
                            .isGreaterThan(last);
                    last = seq;
                    if (seq <= after) {
                        continue; // asked again with an older after: already taken
                    }
                    assertThat(seq)
                            .as("no seq is skipped: after %d comes %d", after, after + 1)
                            .isEqualTo(after + 1);
                    after = seq;
                    if (type(message).equals("x-n")) {
                        received.add(message.path("payload").path("n").asInt());
                    }
                }
            }
            assertThat(sending).as("the sender finished").succeedsWithin(Duration.ofSeconds(10));
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < total; n++) {
                expected.add(n);
            }
            assertThat(received)
                    .as(
                            "every message exactly once, in order, despite %d abandoned and %d lost responses",
                            abandoned, repolled)
                    .isEqualTo(expected);
            assertThat(abandoned).as("the test did abandon responses").isPositive();
        }
    }

    @Test
    @DisplayName("announces a polling peer that stops polling as peer-left with reason timeout, within a bounded time")
    void pollingTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(800);
        try (Relay quick =
                Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withPollingTimeout(timeout))) {
            try (TestClient alice = TestClient.join("websocket", quick, "quiet", "alice")) {
                PollingTestPeer bob = PollingTestPeer.joinSilent(quick, "quiet", "bob");
                long joined = System.nanoTime();
                alice.next("peer-joined");
                JsonNode left = alice.next();
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined);
                assertThat(type(left))
                        .as("alice's next message after peer-joined is peer-left")
                        .isEqualTo("peer-left");
                assertThat(left.path("payload").path("peer").asText())
                        .as("peer-left names bob")
                        .isEqualTo("bob");
                assertThat(left.path("payload").path("reason").asText())
                        .as("a silent polling peer left with reason timeout")
                        .isEqualTo("timeout");
                assertThat(took)
                        .as(
                                "bob is dropped after the %d ms timeout, not before, and within a few sweeps",
                                timeout.toMillis())
                        .isBetween(timeout.toMillis() - 50, timeout.toMillis() + 2000);
                assertThat(bob.poll(0, 0, bob.token).statusCode())
                        .as("the timed-out peer's token reads nothing any more: 403")
                        .isEqualTo(403);
                JsonNode health = TestClient.health(quick);
                assertThat(health.path("peers").asInt())
                        .as("/health counts only alice after bob timed out")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName("announces an aborted WebSocket peer as peer-left, and frees the room once the other leaves")
    void abortedWebSocket() throws Exception {
        String room = room();
        TestClient alice = TestClient.join("polling", relay, room, "alice");
        WsTestPeer bob = WsTestPeer.join(relay, room, "bob");
        alice.next("peer-joined");
        bob.abort();
        JsonNode left = alice.next();
        assertThat(type(left)).as("alice is told bob left").isEqualTo("peer-left");
        assertThat(left.path("payload").path("peer").asText())
                .as("peer-left names bob")
                .isEqualTo("bob");
        assertThat(left.path("payload").path("reason").asText())
                .as("a WebSocket dropped without a close handshake left with reason error")
                .isEqualTo("error");
        alice.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode health = TestClient.health(relay);
            assertThat(health.path("rooms").asInt(-1))
                    .as("no room is left open: " + health)
                    .isZero();
            assertThat(health.path("peers").asInt(-1))
                    .as("no peer is left: " + health)
                    .isZero();
            assertThat(relay.webSocketConnections())
                    .as("no WebSocket connection is left")
                    .isZero();
        });
    }
}
