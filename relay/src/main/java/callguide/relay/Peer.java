package callguide.relay;

import callguide.kit.signal.Envelope;
import java.util.function.Consumer;

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
    /** Its outbox went over its cap: it did not read what was sent to it fast enough (or at all). */
    static final String SLOW = "slow";
    /** It kept sending while rate-limited. */
    static final String FLOOD = "flood";

    private final String room;
    private final String id;
    private final Outbox outbox;
    private final RateLimiter rate;
    /** Frames refused for the rate limit: a peer that spends all of these too is disconnected ({@code flood}). */
    private final RateLimiter strikes;

    private final String address;
    private final String rejoin;
    private final Consumer<Peer> overflowed;
    private final long since = System.currentTimeMillis();
    private long lastSeq;
    private boolean dropped;

    /**
     * @param address    the client address it joined from, for the caps per address
     * @param overflowed told (once, under this peer's lock: it must only schedule) when the outbox refuses a message
     */
    Peer(
            String room,
            String id,
            Outbox outbox,
            RateLimiter rate,
            RateLimiter strikes,
            String address,
            String rejoin,
            Consumer<Peer> overflowed) {
        this.room = room;
        this.rejoin = rejoin;
        this.id = id;
        this.outbox = outbox;
        this.rate = rate;
        this.strikes = strikes;
        this.address = address;
        this.overflowed = overflowed;
    }

    /** A peer with a generous rate limit and no address, for tests of a room on its own. */
    Peer(String room, String id, Outbox outbox, RateLimiter rate) {
        this(room, id, outbox, rate, new RateLimiter(1000, 1000), "", null, p -> {});
    }

    String address() {
        return address;
    }

    /** The secret its welcome carries: only a join presenting it gets this id back once it left (null: none). */
    String rejoin() {
        return rejoin;
    }

    RateLimiter strikes() {
        return strikes;
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

    /**
     * Puts {@code message} on this peer's stream with the next seq (the first message gets 1).
     * False when its outbox is over its cap: the peer is being dropped ({@code slow}) and gets nothing more.
     */
    synchronized boolean deliver(Envelope message) {
        if (dropped) {
            return false;
        }
        long seq = lastSeq + 1;
        return taken(outbox.put(
                seq, new Envelope(message.type(), message.from(), message.to(), seq, message.payload()).toJson()));
    }

    /**
     * Puts a message {@code from} another peer on this peer's stream with the next seq, written
     * here ({@link Envelopes#forwarded}) in one piece, its payload's text as it was sent.
     */
    synchronized boolean deliver(PeerMessage message, String from) {
        if (dropped) {
            return false;
        }
        return taken(outbox.put(lastSeq + 1, Envelopes.forwarded(message, from, lastSeq + 1)));
    }

    /** A seq is used only by a message the outbox took, so the stream the peer reads has no gap. */
    private boolean taken(boolean took) {
        if (took) {
            lastSeq++;
        } else {
            dropped = true;
            overflowed.accept(this);
        }
        return took;
    }

    @Override
    public String toString() {
        return room + "/" + id;
    }
}
