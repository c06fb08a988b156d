package callguide.relay;

import java.util.function.LongSupplier;

/**
 * A token bucket: a peer may send {@code burst} messages at once, then {@code perSecond} a second.
 * A call's signalling (an offer, an answer, a few dozen candidates) never notices it; a learner's
 * send loop that forgot its exit condition does. Thread-safe.
 */
final class RateLimiter {
    private final double burst;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    RateLimiter(int burst, int perSecond) {
        this(burst, perSecond, System::nanoTime);
    }

    RateLimiter(int burst, int perSecond, LongSupplier nanoClock) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** True if a token is there (none is taken). */
    synchronized boolean hasToken() {
        refill();
        return tokens >= 1;
    }

    /** True when the bucket is full again: nothing was taken for a while. */
    synchronized boolean isFull() {
        refill();
        return tokens >= burst;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }

    /** Takes one token if there is one. */
    synchronized boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
