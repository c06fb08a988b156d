package callguide.relay;

import callguide.kit.signal.Envelope;

/**
 * One peer in one room: who it is, where its messages go, its rate limit, and the {@code seq} of
 * the last message the relay put on its stream.
 *
 * <p>Thread-safety: {@link #deliver} numbers a message and hands it to the outbox in one step
 * under this peer's lock, so two threads delivering to the same peer (its partner forwarding, the
 * relay announcing a departure) can never put seq 8 on the wire before seq 7.
 */
final class Peer {
    /** Why a peer left, as {@code peer-left} tells the other one. */
    static final String CLOSED = "closed";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";

    private final String room;
    private final String id;
    private final Outbox outbox;
    private final RateLimiter rate;
    private final long since = System.currentTimeMillis();
    private long lastSeq;

    Peer(String room, String id, Outbox outbox, RateLimiter rate) {
        this.room = room;
        this.id = id;
        this.outbox = outbox;
        this.rate = rate;
    }

    String room() {
        return room;
    }

    String id() {
        return id;
    }

    Outbox outbox() {
        return outbox;
    }

    /** When it joined, in epoch milliseconds. */
    long since() {
        return since;
    }

    RateLimiter rate() {
        return rate;
    }

    /** Puts {@code message} on this peer's stream with the next seq (the first message gets 1). */
    synchronized void deliver(Envelope message) {
        lastSeq++;
        outbox.put(lastSeq, new Envelope(message.type(), message.from(), message.to(), lastSeq, message.payload()).toJson());
    }

    /**
     * Puts a forwarded message on this peer's stream with the next seq: {@code head} is the
     * envelope up to its seq ({@link Envelopes#head}), {@code payload} the payload's JSON text or null.
     */
    synchronized void deliver(String head, String payload) {
        lastSeq++;
        outbox.put(lastSeq, Envelopes.forwarded(head, lastSeq, payload));
    }

    @Override
    public String toString() {
        return room + "/" + id;
    }
}
