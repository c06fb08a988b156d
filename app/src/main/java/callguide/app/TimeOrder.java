package callguide.app;

import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Lines from several processes, each line timed when its event happened, printed in time order. Each process prints
 * its own events in time order, but its lines reach the demo through a pipe of its own, so the two sides' lines can
 * arrive a few milliseconds out of order ("3927.6 ms caller joined" read before "3886.9 ms callee joined"). A line
 * is printed once every other source has printed something later or has ended, or, when a source is quiet, once the
 * line is {@code holdMs} old: the output stays live and in order unless a line takes longer than that to arrive.
 * Thread-safe; {@link #close()} prints what is left, in order.
 */
final class TimeOrder implements AutoCloseable {
    private record Line(double atMs, long seq, String text) {}

    private final double holdMs;
    private final DoubleSupplier nowMs;
    private final Consumer<String> out;
    private final double[] latest;
    private final boolean[] ended;
    private final PriorityQueue<Line> held = new PriorityQueue<>(
            (a, b) -> a.atMs() != b.atMs() ? Double.compare(a.atMs(), b.atMs()) : Long.compare(a.seq(), b.seq()));
    private final ScheduledExecutorService timer;
    private long seq;

    /** {@code nowMs}: the clock the lines' times are on (epoch milliseconds); checked every 50 ms. */
    TimeOrder(int sources, double holdMs, DoubleSupplier nowMs, Consumer<String> out) {
        this.holdMs = holdMs;
        this.nowMs = nowMs;
        this.out = out;
        this.latest = new double[sources];
        this.ended = new boolean[sources];
        java.util.Arrays.fill(latest, Double.NEGATIVE_INFINITY);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-time-order");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::drain, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** The line of an event of {@code source} at {@code atMs}. */
    synchronized void add(int source, double atMs, String text) {
        latest[source] = Math.max(latest[source], atMs);
        held.add(new Line(atMs, seq++, text));
        drain();
    }

    /** {@code source} prints nothing more. */
    synchronized void end(int source) {
        ended[source] = true;
        drain();
    }

    /** Prints, in order, every line nothing earlier can still come before. */
    synchronized void drain() {
        while (!held.isEmpty() && ready(held.peek())) {
            out.accept(held.poll().text());
        }
    }

    private boolean ready(Line line) {
        if (nowMs.getAsDouble() - line.atMs() >= holdMs) {
            return true;
        }
        for (int s = 0; s < latest.length; s++) {
            if (!ended[s] && latest[s] < line.atMs()) {
                return false; // source s may still print something earlier
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        while (!held.isEmpty()) {
            out.accept(held.poll().text());
        }
    }
}
