package callguide.kit.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every state change and event of one peer, with its time: what the tests assert on as whole
 * sequences, and what {@code ./workshop demo} prints. Thread-safe: native threads, the peer's
 * loop and the relay's threads all record here.
 */
public final class CallTimeline {
    private final String side;
    private final long startNanos;
    private final double startEpochMillis;
    private final List<TimelineEvent> events = new ArrayList<>();
    private final List<Consumer<TimelineEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<TimelineEvent> match, CompletableFuture<TimelineEvent> future) {}

    public CallTimeline(String side) {
        this(side, System.nanoTime());
    }

    /** A timeline whose clock starts at {@code startNanos} ({@link System#nanoTime()}), to line up two sides. */
    public CallTimeline(String side, long startNanos) {
        this.side = side;
        this.startNanos = startNanos;
        this.startEpochMillis = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1e6;
    }

    public String side() {
        return side;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The wall-clock time of the start, to line up timelines of two processes on one machine. */
    public double startEpochMillis() {
        return startEpochMillis;
    }

    public TimelineEvent record(EventKind kind, Object value) {
        List<Waiter> matched = new ArrayList<>();
        TimelineEvent event;
        synchronized (this) {
            // Timed under the lock: timed before it, two threads could list their events out of time order.
            event = new TimelineEvent((System.nanoTime() - startNanos) / 1e6, side, kind, String.valueOf(value));
            events.add(event);
            waiters.removeIf(w -> {
                if (w.match().test(event)) {
                    matched.add(w);
                    return true;
                }
                return false;
            });
        }
        matched.forEach(w -> w.future().complete(event));
        listeners.forEach(listener -> listener.accept(event));
        return event;
    }

    public synchronized List<TimelineEvent> events() {
        return List.copyOf(events);
    }

    /** The values recorded for {@code kind}, in order: for example the signalling states. */
    public synchronized List<String> values(EventKind kind) {
        return events.stream()
                .filter(e -> e.kind() == kind)
                .map(TimelineEvent::value)
                .toList();
    }

    public synchronized long count(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).count();
    }

    /**
     * Completes with the first event of {@code kind} with one of {@code values} (any value if none given), past or
     * future.
     */
    public CompletableFuture<TimelineEvent> when(EventKind kind, String... values) {
        List<String> wanted = List.of(values);
        return when(e -> e.kind() == kind && (wanted.isEmpty() || wanted.contains(e.value())));
    }

    public CompletableFuture<TimelineEvent> when(Predicate<TimelineEvent> match) {
        CompletableFuture<TimelineEvent> future = new CompletableFuture<>();
        synchronized (this) {
            for (TimelineEvent e : events) {
                if (match.test(e)) {
                    future.complete(e);
                    return future;
                }
            }
            waiters.add(new Waiter(match, future));
        }
        return future;
    }

    /** Called with every event recorded from now on, on the recording thread. */
    public void addListener(Consumer<TimelineEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized String toString() {
        StringBuilder out = new StringBuilder();
        events.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }
}
