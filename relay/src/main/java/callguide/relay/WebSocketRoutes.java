package callguide.relay;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.ErrorCodes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.WebSocketTimeoutException;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The WebSocket transport: {@code ws://HOST:PORT/rooms/{room}?peer={peer}}, one JSON envelope
 * per text message, both ways.
 *
 * <p>A refused join (bad id, full room, taken id) gets its {@code error}, then the socket is
 * closed (1008). An error about a message goes back on the sender's own stream as an
 * {@code error} with the next seq; the connection stays open.
 *
 * <p>Served by Jetty's core WebSocket layer, below Javalin and Jetty's WebSocket API: every message is one
 * frame's bytes, decoded once by the JDK (whose UTF-8 decoding is vectorised, where the API's ran byte by byte),
 * with no context object or session per connection beyond Jetty's own. The upgrade is checked as every HTTP request
 * is (the refusal limiter, then Host and Origin) before the 101.
 *
 * <p>Threads: Jetty hands one connection's frames over one at a time, each after the last was handled, so a peer's
 * messages are handled in the order it sent them.
 */
final class WebSocketRoutes {
    /** The one path served: a room's name, nothing after it. */
    private static final String PATH = "^/rooms/[^/]+$";
    /** How long a flooder's socket is given to answer the closing handshake before it is cut off. */
    private static final Duration FLOOD_CUTOFF = Duration.ofSeconds(2);

    private final Rooms rooms;
    private final RelayConfig config;
    private final RefusalLimiter refusals;
    private final RequestGuard guard;
    /** Where a failure no handler expected is logged and counted (the relay's internal errors). */
    private final BiConsumer<String, Throwable> internalError;
    /** The open connections that joined a room. */
    private final Set<Connection> joined = ConcurrentHashMap.newKeySet();
    /** Messages up to this many bytes get an answer, a too-large error beyond the limit; past it the socket closes. */
    private final long maxAnswered;

    WebSocketRoutes(
            Rooms rooms,
            RelayConfig config,
            RefusalLimiter refusals,
            RequestGuard guard,
            BiConsumer<String, Throwable> internalError) {
        this.rooms = rooms;
        this.config = config;
        this.refusals = refusals;
        this.guard = guard;
        this.internalError = internalError;
        this.maxAnswered = 16L * config.maxMessageBytes();
    }

    /**
     * The Jetty handler that upgrades {@code /rooms/{room}} and passes every other request on (to the handler set
     * inside it). Its frames are read with the server's pool and buffers.
     */
    WebSocketUpgradeHandler handler(Server server) {
        WebSocketUpgradeHandler handler =
                new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        handler.setHandler((Handler) null); // its own 404 goes: what it does not upgrade goes on to Javalin
        handler.addMapping(new RegexPathSpec(PATH), this::negotiate);
        // The liveness check (checkLiveness) ends silent peers first; this is the backstop.
        handler.getConfiguration().setIdleTimeout(config.webSocketTimeout().multipliedBy(2));
        // Frames are taken as they come and joined here, within maxAnswered: Jetty need not hold a whole message.
        handler.getConfiguration().setMaxFrameSize(maxAnswered);
        handler.getConfiguration().setAutoFragment(true);
        return handler;
    }

    /** Checks an upgrade as any request is checked, and makes its connection; null (and a refusal sent) if refused. */
    private FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String address = ClientAddress.of(Request.getRemoteAddr(request));
        try {
            refusals.check(address);
            guard.check(request);
        } catch (Refusal refusal) {
            refusals.refused(address);
            PollingRoutes.refuse(response, refusal, callback);
            return null;
        }
        String path = Request.getPathInContext(request);
        String room = URIUtil.decodePath(path.substring(path.lastIndexOf('/') + 1));
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        return new Connection(room, query.getValue("peer"), query.getValue("rejoin"), address);
    }

    /**
     * Pings every WebSocket peer, and ends those from which nothing has arrived for longer than
     * the WebSocket timeout (see {@link WebSocketLink}).
     */
    void checkLiveness() {
        for (Connection connection : joined) {
            WebSocketLink link = connection.link;
            if (link.silence().compareTo(config.webSocketTimeout()) > 0) {
                connection.leave(Peer.TIMEOUT);
                link.drop();
            } else {
                link.ping();
            }
        }
    }

    /** Open connections that joined a room: zero once everyone left. */
    int connections() {
        return joined.size();
    }

    /** One WebSocket connection: its join, its messages, its end. */
    private final class Connection implements FrameHandler {
        private final String room;
        private final String peerId;
        private final String rejoin;
        private final String address;
        /**
         * The peer it joined as, until it leaves; null before the join, after a refused one and once left. Written
         * under this connection's lock, with {@link #ended}; read without it on every message.
         */
        private volatile Peer peer;
        /** Why it ended, once it did (guarded by this): an end that comes while it joins is its join's to act on. */
        private String ended;

        private CoreSession session;
        private WebSocketLink link;
        /** The frames of a message in parts, while its last part is still to come; null between messages. */
        private ByteArrayOutputStream parts;
        /** The message in parts is binary; what a text one would be is not kept past the limit. */
        private boolean partsBinary;
        /** Bytes of the message in parts so far, kept or not. */
        private long partsLength;
        /** Why the connection failed, as Jetty said before it closed it; null for a close. */
        private volatile Throwable failure;

        Connection(String room, String peerId, String rejoin, String address) {
            this.room = room;
            this.peerId = peerId;
            this.rejoin = rejoin;
            this.address = address;
        }

        @Override
        public void onOpen(CoreSession session, Callback callback) {
            this.session = session;
            this.link = new WebSocketLink(session, config.caps(), rooms.budget());
            try {
                Peer in = rooms.join(room, peerId, link, address, rejoin);
                String endedMeanwhile;
                synchronized (this) {
                    endedMeanwhile = ended;
                    if (ended == null) {
                        peer = in;
                        link.heard(); // its silence counts from its join, however long that took
                        joined.add(this);
                    }
                }
                if (endedMeanwhile != null) {
                    // The connection ended while it joined (its partner, told at once, may have made its own end come
                    // first): it leaves now, or it would be in its room for good.
                    rooms.leave(in, endedMeanwhile);
                }
            } catch (Refusal refusal) {
                refusals.refused(address);
                Envelope error = Envelopes.error(refusal);
                link.put(1L, new Envelope(error.type(), null, null, 1L, error.payload()).toJson());
                session.close(1008, refusal.code(), Callback.NOOP);
            } catch (RuntimeException e) {
                internalError.accept("WebSocket join", e);
                session.close(CloseStatus.SERVER_ERROR, "the relay failed: see its log", Callback.NOOP);
            }
            callback.succeeded();
            session.demand(); // the closing handshake of a refused one is read too
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            link.heard();
            switch (frame.getOpCode()) {
                case OpCode.PING -> {
                    session.sendFrame(
                            new Frame(OpCode.PONG, true, frame.getPayload()),
                            Callback.from(session::demand, callback),
                            false);
                    return;
                }
                case OpCode.CLOSE -> {
                    callback.succeeded(); // Jetty answers it
                    return;
                }
                case OpCode.TEXT, OpCode.BINARY -> {
                    parts = null;
                    partsLength = 0;
                    partsBinary = frame.getOpCode() == OpCode.BINARY;
                    data(frame);
                }
                case OpCode.CONTINUATION -> data(frame);
                default -> {} // a pong: it was heard, which is all it is for
            }
            callback.succeeded();
            session.demand();
        }

        /** A text or binary frame, or a part of one: a whole message is handled, a part kept for the rest. */
        private void data(Frame frame) {
            ByteBuffer payload = frame.getPayload();
            int n = payload == null ? 0 : payload.remaining();
            partsLength += n;
            if (partsLength > maxAnswered) {
                parts = null;
                session.close(CloseStatus.MESSAGE_TOO_LARGE, "message over " + maxAnswered + " bytes", Callback.NOOP);
                return;
            }
            boolean keep = !partsBinary && partsLength <= config.maxMessageBytes();
            if (frame.isFin() && parts == null) {
                handle(keep ? bytes(payload, n) : null);
                return;
            }
            if (parts == null) {
                parts = new ByteArrayOutputStream(Math.min(config.maxMessageBytes(), 2 * n + 64));
            }
            if (keep) {
                byte[] bytes = bytes(payload, n);
                parts.write(bytes, 0, bytes.length);
            } else {
                parts.reset(); // over the limit or binary: answered with an error, so nothing of it need be kept
            }
            if (frame.isFin()) {
                byte[] whole = keep ? parts.toByteArray() : null;
                parts = null;
                handle(whole);
            }
        }

        /**
         * A whole message: {@code text}'s bytes when it is a text within the limit, else null (a binary message or one
         * over the limit, each answered with its error).
         */
        private void handle(byte[] text) {
            Peer from = peer;
            if (from == null) {
                return; // a refused connection on its way out, or one that already left
            }
            try {
                rooms.admit(from); // every message counts, valid or not
                if (partsBinary) {
                    throw new Refusal(ErrorCodes.BAD_JSON, "send JSON as a text message, not a binary one");
                }
                if (text == null) {
                    throw Envelopes.tooLarge(config.maxMessageBytes());
                }
                String json = Utf8.decoded(text);
                if (json == null) {
                    // RFC 6455: a text message that is not UTF-8 fails the connection.
                    session.close(CloseStatus.BAD_PAYLOAD, "a text message that is not UTF-8", Callback.NOOP);
                    return;
                }
                rooms.send(from, Envelopes.read(json, config.maxMessageBytes()));
            } catch (Refusal refusal) {
                from.deliver(Envelopes.error(refusal));
                if (refusal.ends()) {
                    leave(Peer.FLOOD); // its socket gets the closing handshake (1008 flood) ...
                    // ... and a flooder that does not answer it is cut off soon after: Jetty would read its frames
                    // until the idle timeout otherwise.
                    CompletableFuture.delayedExecutor(FLOOD_CUTOFF.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> {
                                if (!session.isClosed()) {
                                    link.drop();
                                }
                            });
                }
            } catch (RuntimeException e) {
                internalError.accept("WebSocket message of " + from, e);
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            failure = cause;
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            Throwable failed = failure;
            if (failed instanceof WebSocketTimeoutException) {
                leave(Peer.TIMEOUT);
            } else if (failed == null && (status.getCode() == 1000 || status.getCode() == 1001)) {
                leave(Peer.CLOSED);
            } else {
                leave(Peer.ERROR);
            }
            parts = null;
            callback.succeeded();
        }

        /** The peer leaves its room, once, whichever of its endings comes first. */
        void leave(String reason) {
            Peer left;
            synchronized (this) {
                if (ended == null) {
                    ended = reason;
                }
                left = peer;
                peer = null;
            }
            if (left != null) {
                joined.remove(this);
                rooms.leave(left, reason);
            }
        }
    }

    private static byte[] bytes(ByteBuffer payload, int n) {
        byte[] bytes = new byte[n];
        if (n > 0) {
            payload.get(bytes);
        }
        return bytes;
    }
}
