package callguide.relay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The characters of JSON every outbox of the relay holds in all, queued for WebSocket peers or
 * kept in mailboxes, against one budget: with a cap per peer <em>and</em> one for the whole relay,
 * memory stays bounded however many peers misbehave at once. An outbox that cannot take a message
 * within both drops its peer ({@code slow}). Thread-safe.
 */
final class QueueBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    QueueBudget(long limit) {
        this.limit = limit;
    }

    /** A quarter of the heap, at most 256 MiB: what the relay may hold queued in all. */
    static QueueBudget forHeap() {
        return new QueueBudget(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    /** Takes {@code n} if the budget has them. */
    boolean take(long n) {
        while (true) {
            long now = used.get();
            if (now + n > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    void give(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
