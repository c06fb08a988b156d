package callguide.relay;

import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * The outbox of a WebSocket peer, and how the relay tells that the peer is still there.
 *
 * <p>A peer whose process is killed is noticed at once: its operating system closes the TCP
 * connection. A peer whose machine vanished (a closed laptop lid, a dropped Wi-Fi) closes
 * nothing, so the relay pings every connection and drops one from which nothing at all has
 * arrived, not even a pong, for {@link RelayConfig#webSocketTimeout()}. Javalin does not hand
 * pongs to the application, so "anything arrived" is read from Jetty's count of bytes received on
 * the connection.
 */
final class WebSocketLink implements Outbox {

    @Override
    public String transport() {
        return "websocket";
    }

    private final WsContext ctx;
    private final long maxQueued;
    private final QueueBudget budget;
    private final AtomicLong queued = new AtomicLong();
    private long bytesSeen = -1;
    private long lastHeard = System.nanoTime();

    WebSocketLink(WsContext ctx, Caps caps, QueueBudget budget) {
        this.ctx = ctx;
        this.maxQueued = caps.maxQueuedBytes();
        this.budget = budget;
    }

    WsContext context() {
        return ctx;
    }

    /**
     * Queues the frame (Jetty writes it later; frames leave in the order queued). Never throws and
     * never calls back into the relay: a connection that broke fails the write, and its own
     * {@code onClose}/{@code onError} ends the peer later, on Jetty's thread, with no lock held.
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
            ctx.session.sendText(json, Callback.from(written, failed -> written.run()));
        } catch (RuntimeException brokenConnection) {
            written.run(); // the connection is going: its close handler ends the peer
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
            if (ctx.session.isOpen()) {
                ctx.closeSession(reason.equals(Peer.FLOOD) ? 1008 : 1000, reason);
            }
        } catch (RuntimeException alreadyBroken) {
            // nothing left to close
        }
    }

    /** Sends a ping; a live peer's WebSocket answers it with a pong by itself. */
    void ping() {
        try {
            if (ctx.session.isOpen()) {
                ctx.sendPing();
            }
        } catch (RuntimeException brokenConnection) {
            // its close handler ends the peer
        }
    }

    /** Ends the connection without a closing handshake: for a peer that no longer answers. */
    void drop() {
        try {
            ctx.session.disconnect();
        } catch (RuntimeException alreadyGone) {
            // nothing left to end
        }
    }

    /** How long nothing has arrived from the peer. */
    synchronized Duration silence() {
        long now = System.nanoTime();
        long bytes = bytesReceived();
        if (bytes < 0 || bytes != bytesSeen) {
            bytesSeen = bytes;
            lastHeard = now;
        }
        return Duration.ofNanos(now - lastHeard);
    }

    /**
     * Bytes received on the connection so far, pongs included; -1 if Jetty does not say (then the peer counts as
     * heard).
     */
    private long bytesReceived() {
        if (ctx.session instanceof WebSocketSession session
                && session.getCoreSession() instanceof WebSocketCoreSession core
                && core.getConnection() != null) {
            return core.getConnection().getBytesIn();
        }
        return -1;
    }
}
