package callguide.relay;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ErrorCodes;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.exceptions.WebSocketTimeoutException;

/**
 * The WebSocket transport: {@code ws://HOST:PORT/rooms/{room}?peer={peer}}, one JSON envelope
 * per text message, both ways.
 *
 * <p>A refused join (bad id, full room, taken id) gets its {@code error}, then the socket is
 * closed (1008). An error about a message goes back on the sender's own stream as an
 * {@code error} with the next seq; the connection stays open.
 *
 * <p>Threads: Jetty calls one connection's handlers one at a time, so a peer's messages are
 * handled in the order it sent them. Javalin calls {@code onClose} only for a clean close or a
 * timeout, {@code onError} for a broken connection: both end the peer, whichever comes first.
 */
final class WebSocketRoutes {
    private final Rooms rooms;
    private final RelayConfig config;
    /** The peer each open connection joined as. WsContext equality is by session: a safe key. */
    private final Map<WsContext, Peer> peers = new ConcurrentHashMap<>();

    private final RefusalLimiter refusals;
    /** How long a flooder's socket is given to answer the closing handshake before it is cut off. */
    private static final java.time.Duration FLOOD_CUTOFF = java.time.Duration.ofSeconds(2);

    WebSocketRoutes(Rooms rooms, RelayConfig config, RefusalLimiter refusals) {
        this.rooms = rooms;
        this.config = config;
        this.refusals = refusals;
    }

    void register(RoutesConfig routes) {
        routes.ws("/rooms/{room}", ws -> {
            ws.onConnect(this::join);
            ws.onMessage(ctx -> received(ctx, () -> Envelopes.read(ctx.message(), config.maxMessageBytes())));
            ws.onBinaryMessage(ctx -> received(ctx, () -> {
                throw new Refusal(ErrorCodes.BAD_JSON, "send JSON as a text message, not a binary one");
            }));
            ws.onClose(ctx -> ended(ctx, ctx.status() == 1000 || ctx.status() == 1001 ? Peer.CLOSED : Peer.ERROR));
            ws.onError(ctx -> ended(ctx, ctx.error() instanceof WebSocketTimeoutException ? Peer.TIMEOUT : Peer.ERROR));
        });
    }

    private void join(WsConnectContext ctx) {
        String address = ClientAddress.of(ctx.session.getRemoteSocketAddress());
        try {
            peers.put(
                    ctx,
                    rooms.join(
                            ctx.pathParam("room"),
                            ctx.queryParam("peer"),
                            new WebSocketLink(ctx, config.caps(), rooms.budget()),
                            address,
                            ctx.queryParam("rejoin")));
        } catch (Refusal refusal) {
            refusals.refused(address);
            Envelope error = Envelopes.error(refusal);
            ctx.send(new Envelope(error.type(), null, null, 1L, error.payload()).toJson());
            ctx.closeSession(1008, refusal.code());
        }
    }

    private void received(WsContext ctx, Supplier<PeerMessage> read) {
        Peer peer = peers.get(ctx);
        if (peer == null) {
            return; // a refused connection on its way out, or one that already left
        }
        try {
            rooms.admit(peer); // every frame counts, valid or not
            rooms.send(peer, read.get());
        } catch (Refusal refusal) {
            peer.deliver(Envelopes.error(refusal));
            if (refusal.ends()) {
                peers.remove(ctx);
                rooms.leave(peer, Peer.FLOOD); // its socket gets the closing handshake (1008 flood) ...
                if (peer.outbox() instanceof WebSocketLink link) {
                    // ... and a flooder that does not answer it is cut off soon after: Jetty would read
                    // its frames until the idle timeout otherwise.
                    CompletableFuture.delayedExecutor(FLOOD_CUTOFF.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                if (link.context().session.isOpen()) {
                                    link.drop();
                                }
                            });
                }
            }
        }
    }

    private void ended(WsContext ctx, String reason) {
        Peer peer = peers.remove(ctx);
        if (peer != null) {
            rooms.leave(peer, reason);
        }
    }

    /**
     * Pings every WebSocket peer, and ends those from which nothing has arrived for longer than
     * the WebSocket timeout (see {@link WebSocketLink}).
     */
    void checkLiveness() {
        for (Peer peer : rooms.peers()) {
            if (peer.outbox() instanceof WebSocketLink link) {
                if (link.silence().compareTo(config.webSocketTimeout()) > 0) {
                    peers.remove(link.context());
                    rooms.leave(peer, Peer.TIMEOUT);
                    link.drop();
                } else {
                    link.ping();
                }
            }
        }
    }

    /** Open connections that joined a room: zero once everyone left. */
    int connections() {
        return peers.size();
    }
}
