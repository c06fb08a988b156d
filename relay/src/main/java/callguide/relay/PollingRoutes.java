package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * HTTP long polling, for networks where WebSockets fail:
 * <pre>
 * POST   /rooms/{room}/peers/{peer}                       join: 201 {"token": "..."}; the welcome is queued
 * POST   /rooms/{room}/peers/{peer}/messages              send one envelope: 202
 * GET    /rooms/{room}/peers/{peer}/messages?after=&amp;wait=  {"messages": [...]} with every seq above after
 * DELETE /rooms/{room}/peers/{peer}                       leave: 204
 * </pre>
 * Every request after the join carries {@code Authorization: Bearer TOKEN}; without it, or with
 * another peer's, the answer is 403 {@code forbidden}. A refusal is an HTTP 4xx whose body is the
 * {@code error} envelope, {@code {"type": "error", "payload": {"code", "message"}}}.
 *
 * <p>Served by a Jetty core handler ahead of Javalin (which gets every other request, a wrong method on these paths
 * too: its 404): the path is taken apart by hand, with no routing, context object or servlet request, and each
 * request is checked as Javalin's {@code before} checks the others (the refusal limiter, then Host and Origin).
 * A POST's body is read asynchronously, within one byte past the message limit, before a thread takes it up, so
 * bodies that arrive slowly, or never, hold no thread.
 *
 * <p>A poll with nothing to deliver is held without a thread: the handler returns at once, and the peer's
 * {@link Mailbox} completes its future; the response is written on {@code responses}, never on the thread that
 * delivered the message (it may hold a room's lock); its body is built there, with every message that arrived
 * meanwhile.
 */
final class PollingRoutes extends Handler.Wrapper {
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    private static final String ROOMS = "/rooms/";
    private static final String PEERS = "/peers/";
    private static final String MESSAGES = "/messages";
    private static final String BEARER = "Bearer ";

    /** What a request on a polling path asks for. */
    private enum Kind {
        JOIN,
        SEND,
        POLL,
        LEAVE
    }

    private final Rooms rooms;
    private final RelayConfig config;
    private final Executor responses;
    private final RefusalLimiter refusals;
    private final RequestGuard guard;
    /** Where a failure no handler expected is logged and counted (the relay's internal errors). */
    private final BiConsumer<String, Throwable> internalError;

    PollingRoutes(
            Rooms rooms,
            RelayConfig config,
            Executor responses,
            RefusalLimiter refusals,
            RequestGuard guard,
            BiConsumer<String, Throwable> internalError) {
        this.rooms = rooms;
        this.config = config;
        this.responses = responses;
        this.refusals = refusals;
        this.guard = guard;
        this.internalError = internalError;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        // /rooms/{room}/peers/{peer}, then nothing or /messages, either with a trailing slash (as Javalin took them)
        if (!path.startsWith(ROOMS)) {
            return super.handle(request, response, callback);
        }
        int roomEnd = path.indexOf('/', ROOMS.length());
        if (roomEnd <= ROOMS.length() || !path.startsWith(PEERS, roomEnd)) {
            return super.handle(request, response, callback);
        }
        int peerStart = roomEnd + PEERS.length();
        int peerEnd = path.indexOf('/', peerStart);
        if (peerEnd < 0) {
            peerEnd = path.length();
        }
        boolean messages;
        if (peerEnd == peerStart) {
            return super.handle(request, response, callback);
        } else if (isTail(path, peerEnd, "")) {
            messages = false;
        } else if (isTail(path, peerEnd, MESSAGES)) {
            messages = true;
        } else {
            return super.handle(request, response, callback);
        }
        Kind kind = switch (request.getMethod()) {
            case "POST" -> messages ? Kind.SEND : Kind.JOIN;
            case "GET" -> messages ? Kind.POLL : null;
            case "DELETE" -> messages ? null : Kind.LEAVE;
            default -> null;
        };
        if (kind == null) {
            return super.handle(request, response, callback); // Javalin's 404, as for any path it does not serve
        }
        Exchange exchange = new Exchange(
                request,
                response,
                callback,
                kind,
                URIUtil.decodePath(path, ROOMS.length(), roomEnd - ROOMS.length()),
                URIUtil.decodePath(path, peerStart, peerEnd - peerStart));
        if (kind == Kind.SEND) {
            exchange.readBody();
        } else {
            exchange.serve(null);
        }
        return true;
    }

    /** True when {@code path} from {@code at} is {@code tail}, or {@code tail} and a slash. */
    private static boolean isTail(String path, int at, String tail) {
        int rest = path.length() - at;
        return (rest == tail.length() || rest == tail.length() + 1 && path.charAt(path.length() - 1) == '/')
                && path.startsWith(tail, at);
    }

    /** One request on a polling path: its body (a POST of a message), its checks, its answer. */
    private final class Exchange implements Runnable, BiConsumer<Supplier<String>, Throwable> {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Kind kind;
        private final String roomId;
        private final String peerId;
        /** The peer this request was authorized as; null until then (its refusals count against its address). */
        private Peer peer;
        /** A POST's body as read so far, and its length. */
        private byte[] body;

        private int length;

        Exchange(Request request, Response response, Callback callback, Kind kind, String roomId, String peerId) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.kind = kind;
            this.roomId = roomId;
            this.peerId = peerId;
        }

        /**
         * Reads the body, all of it or one byte past the message limit (enough to know it is too large, never more),
         * as it comes: when the rest is still on its way, Jetty calls {@link #run} once more is there, and no thread
         * waits for it. Then the request is served.
         */
        void readBody() {
            long declared = request.getLength();
            // The usual case: exactly the bytes announced, read into one array of that size.
            body = new byte[declared >= 0 && declared <= config.maxMessageBytes() ? (int) declared : 4096];
            run();
        }

        /** Reads what is there of the body; once it is whole (or too large), serves the request. */
        @Override
        public void run() {
            int limit = config.maxMessageBytes() + 1;
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure()); // the client went away mid-body, or stopped sending
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = Math.min(bytes.remaining(), limit - length);
                if (length + n > body.length) {
                    body = Arrays.copyOf(body, Math.min(limit, Math.max(length + n, 2 * body.length)));
                }
                bytes.get(body, length, n);
                length += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last || length >= limit) {
                    serve(length == body.length ? body : Arrays.copyOf(body, length));
                    return;
                }
            }
        }

        /** Checks the request as every request is checked, then does what it asks; answers every refusal. */
        void serve(byte[] message) {
            String address = ClientAddress.of(Request.getRemoteAddr(request));
            try {
                refusals.check(address);
                guard.check(request);
                switch (kind) {
                    case JOIN -> join(address);
                    case SEND -> send(message);
                    case POLL -> poll();
                    case LEAVE -> leave();
                }
            } catch (Refusal refusal) {
                if (peer == null) { // a joined peer's refusals count against its own limit
                    refusals.refused(address);
                }
                refuse(response, refusal, callback);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void join(String address) {
            String token = Secrets.token(32);
            rooms.join(
                    roomId,
                    peerId,
                    new Mailbox(token, config.caps(), rooms.budget()),
                    address,
                    queryValue(request.getHttpURI().getQuery(), "rejoin"));
            answer(response, 201, JSON, "{\"token\":\"" + token + "\"}", callback);
        }

        private void send(byte[] message) {
            Peer from = authorized();
            admit(from); // every POST counts, valid or not
            rooms.send(from, Envelopes.read(message, config.maxMessageBytes()));
            answerEmpty(202);
        }

        private void poll() {
            Peer polling = authorized();
            String query = request.getHttpURI().getQuery();
            long after;
            Duration wait;
            try {
                after = after(queryValue(query, "after"));
                wait = waitFor(queryValue(query, "wait"));
            } catch (Refusal badPoll) {
                admit(polling); // a refused poll counts against the rate limit; a good one does not (how a peer reads)
                throw badPoll;
            }
            CompletableFuture<Supplier<String>> answer = ((Mailbox) polling.outbox()).poll(after, wait);
            if (answer.isDone()) {
                // Messages were waiting (the usual case under load): answered here, on this request's own thread,
                // with none of an asynchronous answer's cost (a hop to another thread).
                answer(response, 200, JSON, answer.join().get(), callback);
                return;
            }
            // Held: no thread waits; the body is built on the responding thread, so it carries whatever arrived
            // since the poll was woken.
            answer.whenCompleteAsync(this, responses);
        }

        /** A held poll's answer, on a responding thread. */
        @Override
        public void accept(Supplier<String> answer, Throwable failure) {
            try {
                if (failure != null) {
                    throw new IllegalStateException("a held poll failed", failure);
                }
                // A client that went away while its poll was held fails this write: Jetty ends the request.
                answer(response, 200, JSON, answer.get(), callback);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void leave() {
            rooms.leave(authorized(), Peer.CLOSED);
            answerEmpty(204);
        }

        /** The polling peer this request names, if the request carries that peer's token; else 403. */
        private Peer authorized() {
            String room = Envelopes.checkId("room", roomId);
            String id = Envelopes.checkId("peer", peerId);
            // Authorization: Bearer TOKEN, the token taken where it is in the header (trimmed), not copied out of it
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            boolean bearer = header != null && header.startsWith(BEARER);
            int start = BEARER.length();
            int end = bearer ? header.length() : 0;
            while (start < end && header.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && header.charAt(end - 1) <= ' ') {
                end--;
            }
            Peer found = rooms.find(room, id);
            if (found == null
                    || !(found.outbox() instanceof Mailbox mailbox)
                    || !bearer
                    || !mailbox.accepts(header, start, end)) {
                throw new Refusal(
                        ErrorCodes.FORBIDDEN,
                        !bearer
                                ? "send the token the join answered, as Authorization: Bearer TOKEN"
                                : "that token does not belong to " + id + " in room " + room);
            }
            mailbox.touch();
            peer = found;
            return found;
        }

        private void answerEmpty(int status) {
            response.setStatus(status);
            if (status != 204) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            }
            response.write(true, null, callback);
        }

        /** A failure no handler expected: logged and counted, and answered 500 if nothing was written yet. */
        private void failed(RuntimeException e) {
            internalError.accept(
                    "HTTP " + request.getMethod() + " " + request.getHttpURI().getPath(), e);
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                answer(response, 500, TEXT, "the relay failed: see its log", callback);
            }
        }
    }

    /**
     * Answers {@code refusal}: its HTTP status, its {@code error} envelope as the body (WebSocket upgrades are refused
     * alike).
     */
    static void refuse(Response response, Refusal refusal, Callback callback) {
        answer(response, refusal.httpStatus(), JSON, Envelopes.error(refusal).toJson(), callback);
    }

    /** Answers {@code status} with {@code body}, written straight with its length, and completes the request. */
    private static void answer(Response response, int status, HttpField contentType, String body, Callback callback) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(contentType);
        headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * {@link Rooms#admit}, and a peer that kept sending while refused leaves ({@code flood}) as its refusal is
     * answered.
     */
    private void admit(Peer peer) {
        try {
            rooms.admit(peer);
        } catch (Refusal refusal) {
            if (refusal.ends()) {
                rooms.leave(peer, Peer.FLOOD);
            }
            throw refusal;
        }
    }

    /** Polling peers that sent nothing for longer than the polling timeout have left. */
    void sweep() {
        for (Peer peer : rooms.peers()) {
            if (peer.outbox() instanceof Mailbox mailbox && mailbox.silence().compareTo(config.pollingTimeout()) > 0) {
                rooms.leave(peer, Peer.TIMEOUT);
            }
        }
    }

    /**
     * The first value of {@code name} in the raw query {@code query}, decoded as a form value; {@code ""} for the name
     * alone, null when it is absent.
     */
    static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int equals = query.indexOf('=', start);
            int nameEnd = equals >= 0 && equals < end ? equals : end;
            if (nameEnd - start == name.length() && query.startsWith(name, start)) {
                return nameEnd == end
                        ? ""
                        : UrlEncoded.decodeString(query, nameEnd + 1, end - nameEnd - 1, StandardCharsets.UTF_8);
            }
            start = end + 1;
        }
        return null;
    }

    private static long after(String text) {
        try {
            long after = text == null ? 0 : Long.parseLong(text);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new Refusal(
                ErrorCodes.BAD_ENVELOPE,
                "after must be the seq of the last message received (0 at first), not " + text);
    }

    /** The poll's {@code wait} in seconds (0 when absent), capped at the relay's longest poll wait. */
    private Duration waitFor(String text) {
        try {
            double seconds = text == null ? 0 : Double.parseDouble(text);
            if (seconds >= 0) {
                Duration max = config.maxPollWait();
                return seconds * 1000 >= max.toMillis() ? max : Duration.ofMillis((long) (seconds * 1000));
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new Refusal(ErrorCodes.BAD_ENVELOPE, "wait must be a number of seconds, not " + text);
    }
}
