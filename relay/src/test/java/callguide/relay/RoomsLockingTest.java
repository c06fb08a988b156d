package callguide.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Rooms: a peer being told something holds up nobody in another room")
class RoomsLockingTest {
    private static final Duration ANSWERED = Duration.ofSeconds(5);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    /** Lets every stuck outbox's put return. */
    private final CountDownLatch unstick = new CountDownLatch(1);

    @AfterEach
    void stop() {
        unstick.countDown();
        threads.shutdownNow();
    }

    private static Rooms rooms(Caps caps) {
        return new Rooms(RelayConfig.defaults().withCaps(caps), Runnable::run, new QueueBudget(1L << 30));
    }

    /**
     * A WebSocket outbox whose socket write takes as long as the test wants from its {@code stuckFrom}th message on
     * (what Jetty's put does when it writes the frame on the calling thread to a socket slow to take it).
     */
    private final class StuckOutbox extends DiscardingOutbox {
        private final int stuckFrom;
        private final CountDownLatch writing = new CountDownLatch(1);
        private int puts;

        StuckOutbox(int stuckFrom) {
            this.stuckFrom = stuckFrom;
        }

        @Override
        public boolean put(long seq, String json) {
            if (++puts >= stuckFrom) {
                writing.countDown();
                try {
                    unstick.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.put(seq, json);
        }

        /** True once a put got stuck (within a few seconds). */
        boolean writing() throws InterruptedException {
            return writing.await(ANSWERED.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("a join whose welcome is still being written does not hold up a join to another room")
    void joinWhileWelcomeWritten() throws Exception {
        Rooms rooms = rooms(Caps.generous());
        StuckOutbox stuck = new StuckOutbox(1);
        CompletableFuture<Peer> slow =
                CompletableFuture.supplyAsync(() -> rooms.join("slow", "a", stuck, "10.0.0.1"), threads);
        assertThat(stuck.writing())
                .as("the slow peer's welcome is being written")
                .isTrue();

        CompletableFuture<Peer> other = CompletableFuture.supplyAsync(
                () -> rooms.join("other", "b", new DiscardingOutbox(), "10.0.0.2"), threads);

        assertThat(other).as("the join to another room, answered meanwhile").succeedsWithin(ANSWERED);
        unstick.countDown();
        assertThat(slow).as("the slow join, once its write is done").succeedsWithin(ANSWERED);
    }

    @Test
    @DisplayName("a leave whose peer-left is still being written does not hold up a join to another room")
    void joinWhilePeerLeftWritten() throws Exception {
        Rooms rooms = rooms(Caps.generous());
        Peer leaving = rooms.join("slow", "a", new DiscardingOutbox(), "10.0.0.1");
        StuckOutbox told = new StuckOutbox(2); // its welcome goes at once, the news that a left gets stuck
        rooms.join("slow", "b", told, "10.0.0.1");
        CompletableFuture<Boolean> leave =
                CompletableFuture.supplyAsync(() -> rooms.leave(leaving, Peer.CLOSED), threads);
        assertThat(told.writing()).as("b is being told that a left").isTrue();

        CompletableFuture<Peer> other = CompletableFuture.supplyAsync(
                () -> rooms.join("other", "c", new DiscardingOutbox(), "10.0.0.2"), threads);

        assertThat(other).as("the join to another room, answered meanwhile").succeedsWithin(ANSWERED);
        unstick.countDown();
        assertThat(leave)
                .as("the leave, once its write is done")
                .succeedsWithin(ANSWERED)
                .isEqualTo(true);
    }

    @Test
    @DisplayName("a join the room refuses (full, or the id taken) gives its address's share back")
    void refusedJoinGivesShareBack() {
        Rooms rooms = rooms(Caps.generous().withPeersPerAddress(3));
        rooms.join("r", "a", new DiscardingOutbox(), "10.0.0.1");
        rooms.join("r", "b", new DiscardingOutbox(), "10.0.0.1");
        for (String id : new String[] {"a", "c", "d"}) {
            Throwable refused = catchThrowable(() -> rooms.join("r", id, new DiscardingOutbox(), "10.0.0.1"));
            assertThat(refused).as("joining a full room as " + id).isInstanceOf(Refusal.class);
        }

        Throwable third = catchThrowable(() -> rooms.join("s", "a", new DiscardingOutbox(), "10.0.0.1"));

        assertThat(third)
                .as("the address's third peer, after three refused joins (its share is 3)")
                .isNull();
        Throwable fourth = catchThrowable(() -> rooms.join("t", "a", new DiscardingOutbox(), "10.0.0.1"));
        assertThat(fourth).as("its fourth").isInstanceOf(Refusal.class).hasMessageContaining("already has 3 peers");
    }

    @Test
    @DisplayName("the room's last peer leaving closes it, and gives back the room its address opened")
    void lastLeaveCloses() {
        Rooms rooms = rooms(Caps.generous().withRoomsPerAddress(1));
        Peer a = rooms.join("r", "a", new DiscardingOutbox(), "10.0.0.1");
        assertThat(rooms.leave(a, Peer.CLOSED)).as("a leaves").isTrue();
        assertThat(rooms.leave(a, Peer.CLOSED)).as("a leaves twice").isFalse();
        assertThat(rooms.health()).as("the relay once a left").contains("\"rooms\":0,\"peers\":0");

        Throwable reopened = catchThrowable(() -> rooms.join("s", "a", new DiscardingOutbox(), "10.0.0.1"));

        assertThat(reopened)
                .as("opening another room (the address may hold one)")
                .isNull();
    }
}
