package callguide.relay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The outbox of a WebSocket peer, and how the relay tells that the peer is still there.
 *
 * <p>A peer whose process is killed is noticed at once: its operating system closes the TCP
 * connection. A peer whose machine vanished (a closed laptop lid, a dropped Wi-Fi) closes
 * nothing, so the relay pings every connection and drops one from which nothing at all has
 * arrived, not even a pong, for {@link RelayConfig#webSocketTimeout()}: every frame that arrives is
 * {@link #heard()}.
 */
final class WebSocketLink implements Outbox {

    @Override
    public String transport() {
        return "websocket";
    }

    private final CoreSession session;
    private final long maxQueued;
    private final QueueBudget budget;
    private final AtomicLong queued = new AtomicLong();
    private volatile long lastHeard = System.nanoTime();

    WebSocketLink(CoreSession session, Caps caps, QueueBudget budget) {
        this.session = session;
        this.maxQueued = caps.maxQueuedBytes();
        this.budget = budget;
    }

    /**
     * Queues the frame (Jetty writes it later; frames leave in the order queued). Never throws and
     * never calls back into the relay: a connection that broke fails the write, and its own
     * ending ends the peer later, on Jetty's thread, with no lock held.
     */
    @Override
    public boolean put(long seq, String json) {
        long n = json.length();
        if (queued.get() + n > maxQueued || !budget.take(n)) {
            return false;
        }
        queued.addAndGet(n);
        Runnable written = () -> {
            queued.addAndGet(-n);
            budget.give(n);
        };
        try {
            Frame frame = new Frame(OpCode.TEXT, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));

            session.sendFrame(frame, Callback.from(written, failed -> written.run()), false);
        } catch (RuntimeException brokenConnection) {
            written.run(); // the connection is going: its ending ends the peer
        }
        return true;
    }

    /** Characters handed to Jetty and not yet written to the socket (for tests). */
    long queued() {
        return queued.get();
    }

    @Override
    public void close(String reason) {
        if (reason.equals(Peer.SLOW)) {
            drop(); // a closing handshake would wait behind the backlog it did not read
            return;
        }
        try {
            if (session.isOutputOpen()) {
                session.close(reason.equals(Peer.FLOOD) ? 1008 : 1000, reason, Callback.NOOP);
            }
        } catch (RuntimeException alreadyBroken) {
            // nothing left to close
        }
    }

    /** Sends a ping; a live peer's WebSocket answers it with a pong by itself. */
    void ping() {
        try {
            if (session.isOutputOpen()) {
                session.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
            }
        } catch (RuntimeException brokenConnection) {
            // its ending ends the peer
        }
    }

    /** Ends the connection without a closing handshake: for a peer that no longer answers. */
    void drop() {
        try {
            session.abort();
        } catch (RuntimeException alreadyGone) {
            // nothing left to end
        }
    }

    /** A frame (any frame: a message, a pong, a close) arrived from the peer. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /** How long nothing has arrived from the peer. */
    Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastHeard);
    }
}
