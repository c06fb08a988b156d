package callguide.kit.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A call timeline")
class CallTimelineTest {

    @Test
    @DisplayName("records events in order, with the side, the kind, the value as text and non-decreasing times")
    void recordsInOrder() {
        CallTimeline timeline = new CallTimeline("caller");

        TimelineEvent first = timeline.record(EventKind.SIGNALING_STATE, "HAVE_LOCAL_OFFER");
        timeline.record(EventKind.LOCAL_CANDIDATE, "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx");
        timeline.record(EventKind.SIGNALING_STATE, "STABLE");
        timeline.record(EventKind.CONNECTION_STATE, 42);

        List<TimelineEvent> events = timeline.events();
        assertThat(events).as("events recorded").hasSize(4);
        assertThat(events)
                .extracting(TimelineEvent::kind)
                .as("kinds in recording order")
                .containsExactly(
                        EventKind.SIGNALING_STATE,
                        EventKind.LOCAL_CANDIDATE,
                        EventKind.SIGNALING_STATE,
                        EventKind.CONNECTION_STATE);
        assertThat(events)
                .extracting(TimelineEvent::side)
                .as("every event names the timeline's side")
                .containsOnly("caller");
        assertThat(events)
                .extracting(TimelineEvent::atMillis)
                .as("times since the start, in order")
                .isSorted()
                .allSatisfy(t -> assertThat(t).as("a time since the start").isGreaterThanOrEqualTo(0.0));
        assertThat(events.get(3).value())
                .as("a non-string value recorded as its text")
                .isEqualTo("42");
        assertThat(first).as("record returns the event it recorded").isEqualTo(events.get(0));
        assertThat(timeline.side()).as("side()").isEqualTo("caller");
    }

    @Test
    @DisplayName("gives the values of one kind in order, and counts them")
    void valuesAndCount() {
        CallTimeline timeline = new CallTimeline("callee");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "CHECKING");
        timeline.record(EventKind.TRACK, "video");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "CONNECTED");
        timeline.record(EventKind.TRACK, "audio");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "COMPLETED");
        timeline.record(EventKind.ERROR, null);

        assertThat(timeline.values(EventKind.ICE_CONNECTION_STATE))
                .as("ICE connection states in order")
                .containsExactly("CHECKING", "CONNECTED", "COMPLETED");
        assertThat(timeline.values(EventKind.TRACK)).as("tracks in order").containsExactly("video", "audio");
        assertThat(timeline.values(EventKind.ERROR))
                .as("a null value recorded as the text 'null'")
                .containsExactly("null");
        assertThat(timeline.values(EventKind.SIGNALING_STATE))
                .as("a kind never recorded")
                .isEmpty();
        assertThat(timeline.count(EventKind.ICE_CONNECTION_STATE))
                .as("count of ICE connection states")
                .isEqualTo(3);
        assertThat(timeline.count(EventKind.CALL))
                .as("count of a kind never recorded")
                .isZero();
        assertThat(timeline.events())
                .as("events() is a snapshot the caller cannot change")
                .isUnmodifiable();
    }

    @Test
    @DisplayName("times events from the start it was given, so two sides line up")
    void sharedStart() {
        long start = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(500);
        CallTimeline caller = new CallTimeline("caller", start);
        CallTimeline callee = new CallTimeline("callee", start);

        TimelineEvent a = caller.record(EventKind.CALL, "announced");
        TimelineEvent b = callee.record(EventKind.CALL, "accepted");

        assertThat(a.atMillis()).as("a time counted from a start 500 ms ago").isGreaterThanOrEqualTo(500.0);
        assertThat(b.atMillis())
                .as("the other side's later event on the same clock")
                .isGreaterThanOrEqualTo(a.atMillis());
        assertThat(caller.startNanos()).as("startNanos()").isEqualTo(start);
        assertThat(caller.startEpochMillis())
                .as("the start as wall-clock time, about 500 ms ago")
                .isCloseTo(System.currentTimeMillis() - 500.0, org.assertj.core.data.Offset.offset(250.0));
    }

    @Test
    @DisplayName("completes when() for an event already recorded, and for one recorded later, with that event")
    void whenPastAndFuture() {
        CallTimeline timeline = new CallTimeline("caller");
        timeline.record(EventKind.CONNECTION_STATE, "CONNECTING");

        CompletableFuture<TimelineEvent> past = timeline.when(EventKind.CONNECTION_STATE, "CONNECTING");
        CompletableFuture<TimelineEvent> future = timeline.when(EventKind.CONNECTION_STATE, "CONNECTED", "FAILED");
        CompletableFuture<TimelineEvent> anyTrack = timeline.when(EventKind.TRACK);

        assertThat(past).as("when() for an event recorded before").isCompleted();
        assertThat(future).as("when() for an event not recorded yet").isNotDone();
        timeline.record(EventKind.CONNECTION_STATE, "CONNECTED");
        timeline.record(EventKind.TRACK, "audio");
        assertThat(future)
                .as("when(CONNECTED or FAILED) after CONNECTED is recorded")
                .succeedsWithin(Duration.ofSeconds(1))
                .extracting(TimelineEvent::value)
                .as("the event it completed with")
                .isEqualTo("CONNECTED");
        assertThat(anyTrack)
                .as("when(TRACK) with no value asked matches any track")
                .succeedsWithin(Duration.ofSeconds(1))
                .extracting(TimelineEvent::value)
                .as("the track it completed with")
                .isEqualTo("audio");
    }

    @Test
    @DisplayName("calls listeners with every event recorded after they were added")
    void listeners() {
        CallTimeline timeline = new CallTimeline("caller");
        timeline.record(EventKind.CALL, "before");
        List<String> heard = new ArrayList<>();
        timeline.addListener(e -> heard.add(e.value()));

        timeline.record(EventKind.CALL, "up");
        timeline.record(EventKind.CALL, "media");

        assertThat(heard)
                .as("the values the listener heard: only those recorded after it was added")
                .containsExactly("up", "media");
    }

    @Test
    @DisplayName("stays consistent when many threads record at once: nothing lost, and list order is time order")
    void concurrentRecording() throws Exception {
        CallTimeline timeline = new CallTimeline("caller");
        int threads = 8;
        int each = 2000;
        List<TimelineEvent> heard = new CopyOnWriteArrayList<>();
        timeline.addListener(heard::add);
        CompletableFuture<TimelineEvent> last = timeline.when(EventKind.CALL, "t0-" + (each - 1));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "t" + t;
                done.add(CompletableFuture.runAsync(
                        () -> {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            for (int i = 0; i < each; i++) {
                                timeline.record(EventKind.CALL, name + "-" + i);
                            }
                        },
                        pool));
            }
            go.countDown();
            assertThat(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)))
                    .as("all recording threads finish")
                    .succeedsWithin(Duration.ofSeconds(20));
        } finally {
            pool.shutdownNow();
        }

        List<TimelineEvent> events = timeline.events();
        assertThat(events)
                .as("events recorded by %d threads of %d each", threads, each)
                .hasSize(threads * each);
        assertThat(heard).as("events the listener heard").hasSize(threads * each);
        assertThat(timeline.count(EventKind.CALL)).as("count of CALL events").isEqualTo(threads * each);
        assertThat(last).as("when() for one thread's last event").isCompleted();
        assertThat(events)
                .extracting(TimelineEvent::atMillis)
                .as("times in the order the events are listed")
                .isSorted();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            List<String> mine = events.stream()
                    .map(TimelineEvent::value)
                    .filter(v -> v.startsWith(prefix))
                    .toList();
            assertThat(mine)
                    .as("thread %d's events keep that thread's order", t)
                    .isEqualTo(java.util.stream.IntStream.range(0, each)
                            .mapToObj(i -> prefix + i)
                            .toList());
        }
    }

    @Test
    @DisplayName("prints one line per event with time, side, kind label and value")
    void printsEvents() {
        CallTimeline timeline = new CallTimeline("caller");
        timeline.record(EventKind.ICE_CONNECTION_STATE, "CHECKING");
        timeline.record(EventKind.SIGNALING_STATE, "STABLE");

        assertThat(timeline.toString().lines())
                .as("the printed timeline")
                .hasSize(2)
                .satisfiesExactly(
                        line -> assertThat(line)
                                .as("first line")
                                .contains(" ms ", "caller", "ice-connection-state", "CHECKING"),
                        line -> assertThat(line).as("second line").contains("caller", "signaling-state", "STABLE"));
        assertThat(EventKind.CANDIDATE_FILTERED.label()).as("a kind's label").isEqualTo("candidate-filtered");
    }
}
