package callguide.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests the relay refused, counted per client address against a rate limit of their own: a
 * client guessing tokens, joining full rooms or sending requests with a foreign Origin, again and
 * again, soon gets {@code rate-limited} before the relay does any work for it. Requests of a peer
 * that joined count against that peer's own limit ({@link Rooms#admit}) instead.
 */
final class RefusalLimiter {
    private static final int MAX_ADDRESSES = 10_000;
    private final int burst;
    private final int perSecond;
    private final Map<String, RateLimiter> byAddress = new ConcurrentHashMap<>();

    RefusalLimiter(int burst, int perSecond) {
        this.burst = burst;
        this.perSecond = perSecond;
    }

    /** Refuses at once ({@code rate-limited}) an address whose refusals used up its limit. */
    void check(String address) {
        RateLimiter limiter = byAddress.get(address);
        if (limiter != null && !limiter.hasToken()) {
            throw new Refusal(
                    callguide.kit.signal.ErrorCodes.RATE_LIMITED,
                    "too many refused requests from " + address + ": at most " + burst + ", then " + perSecond
                            + " a second");
        }
    }

    /** One more refusal for {@code address}. */
    void refused(String address) {
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.entrySet().removeIf(e -> e.getValue().isFull()); // addresses that stopped: forget them
        }
        byAddress
                .computeIfAbsent(address, a -> new RateLimiter(burst, perSecond))
                .tryAcquire();
    }
}
