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
    /** Frames not yet handed to Jetty, in the order queued. */
    private final java.util.Queue<Sent> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** A thread is handing {@link #waiting} to Jetty. */
    private final java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();

    private volatile long lastHeard = System.nanoTime();

    WebSocketLink(CoreSession session, Caps caps, QueueBudget budget) {
        this.session = session;
        this.maxQueued = caps.maxQueuedBytes();
        this.budget = budget;
    }

    /**
     * Queues the frame: written now, or, inside {@link Outgoing#begin}/{@link Outgoing#end} (a room's lock may be
     * held), once that is over; frames leave in the order queued. Never throws and never calls back into the relay: a
     * connection that broke fails the write, and its own ending ends the peer later, on Jetty's thread, with no lock
     * held.
     */
    @Override
    public boolean put(long seq, String json) {
        long n = json.length();
        if (queued.get() + n > maxQueued || !budget.take(n)) {
            return false;
        }
        queued.addAndGet(n);
        waiting.add(new Sent(new Frame(OpCode.TEXT, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))), n));
        if (!Outgoing.later(this)) {
            write();
        }
        return true;
    }

    /**
     * Hands what waits to Jetty, in order, unless another thread is doing it (it takes what this one queued too: it
     * looks again after it lets go). Jetty may write to the socket on this thread.
     */
    void write() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                for (Sent next = waiting.poll(); next != null; next = waiting.poll()) {
                    next.send();
                }
            } finally {
                writing.set(false);
            }
        }
    }

    /**
     * A frame on its way, and the characters it counts against the caps until it is written (or fails); or, with no
     * frame, the closing handshake with its {@code code} and {@code reason}, which counts nothing.
     */
    private final class Sent implements Callback {
        private final Frame frame;
        private final long n;
        private final int code;
        private final String reason;

        /** A text frame of {@code n} characters. */
        Sent(Frame frame, long n) {
            this.frame = frame;
            this.n = n;
            this.code = 0;
            this.reason = null;
        }

        /** The closing handshake. */
        Sent(int code, String reason) {
            this.frame = null;
            this.n = 0;
            this.code = code;
            this.reason = reason;
        }

        void send() {
            try {
                if (frame == null) {
                    session.close(code, reason, Callback.NOOP);
                } else {
                    session.sendFrame(frame, this, false);
                }
            } catch (RuntimeException brokenConnection) {
                succeeded(); // the connection is going: its ending ends the peer
            }
        }

        @Override
        public void succeeded() {
            queued.addAndGet(-n);
            budget.give(n);
        }

        @Override
        public void failed(Throwable x) {
            succeeded();
        }
    }

    /** Characters handed to Jetty and not yet written to the socket (for tests). */
    long queued() {
        return queued.get();
    }

    /** Closes the connection, after the frames queued before (never written: a slow peer's, which it did not read). */
    @Override
    public void close(String reason) {
        if (reason.equals(Peer.SLOW)) {
            drop(); // a closing handshake would wait behind the backlog it did not read
            return;
        }
        if (session.isOutputOpen()) {
            waiting.add(new Sent(reason.equals(Peer.FLOOD) ? 1008 : 1000, reason));
            write();
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
