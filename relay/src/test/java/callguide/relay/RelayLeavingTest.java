package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Leaving a room, under any interleaving")
class RelayLeavingTest {
    private static final int ROOMS = 40;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static Relay relay;
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        // 40 rooms at once from this one address: more than its default share (RelayFairShareTest tests the caps).
        relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1).withCaps(Caps.generous()));
        threads = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
        relay.close();
    }

    private static String room() {
        return "leave-" + NEXT.incrementAndGet();
    }

    @Test
    @DisplayName("a peer-left that ends the remaining peer as it is told (its outbox calls back into leave) changes "
            + "nothing mid-walk")
    void reentrantLeave() {
        Room room = new Room("r");
        Peer[] b = new Peer[1];
        List<String> told = new ArrayList<>();
        Outbox reentrant = new RecordingOutbox(told) {
            @Override
            public boolean put(long seq, String json) {
                super.put(seq, json);
                if (json.contains("peer-left")) {
                    room.leave(b[0], Peer.ERROR); // what a WebSocket whose write failed used to do, on the same thread
                }
                return true;
            }
        };
        Peer a = room.join("a", new RecordingOutbox(new ArrayList<>()), new RateLimiter(10, 10));
        b[0] = room.join("b", reentrant, new RateLimiter(10, 10));

        assertThatCode(() -> room.leave(a, Peer.CLOSED))
                .as("leave while telling the other peer ends it too")
                .doesNotThrowAnyException();
        assertThat(room.isEmpty()).as("both peers are gone from the room").isTrue();
        assertThat(told).as("b was welcomed, then told that a left").hasSize(2);
    }

    @Test
    @DisplayName("both WebSocket peers of 40 rooms dropping at the same instant: no exception, no room left behind")
    void bothCloseAtOnce() throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < ROOMS; i++) {
            String room = room();
            WsTestPeer a = WsTestPeer.join(relay, room, "a");
            WsTestPeer b = WsTestPeer.join(relay, room, "b");
            a.next("peer-joined");
            boolean clean = i % 2 == 0; // half close cleanly, half vanish
            for (WsTestPeer p : List.of(a, b)) {
                done.add(CompletableFuture.runAsync(
                        () -> {
                            awaitQuietly(go);
                            if (clean) {
                                p.close();
                            } else {
                                p.abort();
                            }
                        },
                        threads));
            }
        }
        go.countDown();
        assertThat(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)))
                .as("every peer closed")
                .succeedsWithin(Duration.ofSeconds(15));
        assertEmptyAndClean();
    }

    @Test
    @DisplayName("a polling peer leaving while messages to it are in flight, in 40 rooms at once: no exception, no "
            + "room left behind")
    void leaveWhileMessagesInFlight() throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < ROOMS; i++) {
            String room = room();
            WsTestPeer sender = WsTestPeer.join(relay, room, "sender");
            PollingTestPeer leaver = PollingTestPeer.join(relay, room, "leaver");
            sender.next("peer-joined");
            done.add(CompletableFuture.runAsync(
                    () -> {
                        awaitQuietly(go);
                        try {
                            for (int n = 0; n < 30; n++) {
                                sender.send(
                                        "x-busy",
                                        Map.of("n", n)); // refused with no-such-peer once the other left: fine
                            }
                        } catch (Exception e) {
                            throw new AssertionError("the sender's socket broke: " + e, e);
                        }
                        sender.close();
                    },
                    threads));
            done.add(CompletableFuture.runAsync(
                    () -> {
                        awaitQuietly(go);
                        try {
                            leaver.leave();
                        } catch (Exception e) {
                            throw new AssertionError("the DELETE failed: " + e, e);
                        }
                    },
                    threads));
        }
        go.countDown();
        assertThat(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)))
                .as("every sender and leaver finished")
                .succeedsWithin(Duration.ofSeconds(15));
        assertEmptyAndClean();
    }

    @Test
    @DisplayName("a join racing the last peer's leave, in 40 rooms at once: the joiner is either welcomed alone or "
            + "with the leaver, and nothing is left behind")
    void joinRacingLeave() throws Exception {
        List<CompletableFuture<TestClient>> joiners = new ArrayList<>();
        List<CompletableFuture<Void>> leavers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < ROOMS; i++) {
            String room = room();
            String transport = i % 2 == 0 ? "websocket" : "polling";
            TestClient first = TestClient.join(transport, relay, room, "first");
            first.next("welcome");
            leavers.add(CompletableFuture.runAsync(
                    () -> {
                        awaitQuietly(go);
                        try {
                            first.close();
                        } catch (Exception e) {
                            throw new AssertionError("the leave failed: " + e, e);
                        }
                    },
                    threads));
            joiners.add(CompletableFuture.supplyAsync(
                    () -> {
                        awaitQuietly(go);
                        try {
                            return TestClient.join(transport, relay, room, "second");
                        } catch (Exception e) {
                            throw new AssertionError("the join failed: " + e, e);
                        }
                    },
                    threads));
        }
        go.countDown();
        assertThat(CompletableFuture.allOf(leavers.toArray(CompletableFuture[]::new)))
                .as("every first peer left")
                .succeedsWithin(Duration.ofSeconds(15));
        for (CompletableFuture<TestClient> joiner : joiners) {
            assertThat(joiner).as("every racing join is answered").succeedsWithin(Duration.ofSeconds(15));
            try (TestClient second = joiner.join()) {
                assertThat(second.next().path("type").asText())
                        .as("the racing joiner is welcomed")
                        .isEqualTo("welcome");
            }
        }
        assertEmptyAndClean();
    }

    private static void assertEmptyAndClean() {
        await("every room gone").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(TestClient.health(relay).path("rooms").asInt())
                    .as("rooms open once everyone left")
                    .isZero();
            assertThat(TestClient.health(relay).path("peers").asInt())
                    .as("peers left once everyone left")
                    .isZero();
            assertThat(relay.webSocketConnections())
                    .as("WebSocket connections the relay still tracks")
                    .isZero();
        });
        assertThat(relay.internalErrors())
                .as("unexpected exceptions in the relay's handlers (see the log)")
                .isZero();
    }

    private static void awaitQuietly(CountDownLatch go) {
        try {
            if (!go.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the start signal never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An outbox that keeps what it is given. */
    static class RecordingOutbox implements Outbox {
        private final List<String> messages;

        RecordingOutbox(List<String> messages) {
            this.messages = messages;
        }

        @Override
        public boolean put(long seq, String json) {
            messages.add(json);
            return true;
        }

        @Override
        public void close(String reason) {}

        @Override
        public String transport() {
            return "test";
        }
    }
}
