package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

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
 * <p>A poll with nothing to deliver is held without a thread: the handler returns a future that
 * the peer's {@link Mailbox} completes, and the response is written on {@code responses}, never
 * on the thread that delivered the message (it may hold a room's lock); its body is built there,
 * with every message that arrived meanwhile.
 */
final class PollingRoutes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JSON = "application/json";
    /** The request attribute that holds the peer a request was authorized as. */
    static final String PEER = "callguide.peer";

    private final Rooms rooms;
    private final RelayConfig config;
    private final Executor responses;

    PollingRoutes(Rooms rooms, RelayConfig config, Executor responses) {
        this.rooms = rooms;
        this.config = config;
        this.responses = responses;
    }

    void register(RoutesConfig routes) {
        routes.post("/rooms/{room}/peers/{peer}", this::join);
        routes.post("/rooms/{room}/peers/{peer}/messages", this::send);
        routes.get("/rooms/{room}/peers/{peer}/messages", this::poll);
        routes.delete("/rooms/{room}/peers/{peer}", this::leave);
    }

    private void join(Context ctx) throws IOException {
        String token = newToken();
        rooms.join(
                ctx.pathParam("room"),
                ctx.pathParam("peer"),
                new Mailbox(token, config.caps(), rooms.budget()),
                ClientAddress.of(ctx.req().getRemoteAddr()),
                ctx.queryParam("rejoin"));
        answer(ctx, 201, "{\"token\":\"" + token + "\"}");
    }

    private void send(Context ctx) throws IOException {
        Peer peer = authorized(ctx);
        admit(peer); // every POST counts, valid or not
        long declared = ctx.req().getContentLengthLong();
        byte[] body = declared >= 0 && declared <= config.maxMessageBytes()
                // The usual case: exactly the bytes announced, read into one array of that size.
                ? ctx.bodyInputStream().readNBytes((int) declared)
                // No length, or too long: read one byte past the limit, enough to know the body is too large, never
                // more.
                : ctx.bodyInputStream().readNBytes(config.maxMessageBytes() + 1);
        rooms.send(peer, Envelopes.read(body, config.maxMessageBytes()));
        ctx.status(202);
    }

    private void poll(Context ctx) throws IOException {
        Peer peer = authorized(ctx);
        long after;
        Duration wait;
        try {
            after = after(ctx);
            wait = waitFor(ctx);
        } catch (Refusal badPoll) {
            admit(peer); // a refused poll counts against the rate limit; a good one does not (it is how a peer reads)
            throw badPoll;
        }
        CompletableFuture<Supplier<String>> body = ((Mailbox) peer.outbox()).poll(after, wait);
        if (body.isDone()) {
            // Messages were waiting (the usual case under load): answered here, on this request's own thread, with
            // none of an asynchronous answer's cost (a suspended request, a hop to another thread).
            answer(ctx, 200, body.join().get());
            return;
        }
        // The body is built on the responding thread, so it carries whatever arrived since the poll was woken.
        ctx.future(() -> body.thenAcceptAsync(
                answer -> {
                    try {
                        answer(ctx, 200, answer.get());
                    } catch (IOException clientGone) {
                        // the client went away while its poll was held: nobody to answer
                    }
                },
                responses));
    }

    /**
     * Answers {@code status} with the JSON {@code json}, written straight to the servlet's stream with its length:
     * Javalin's {@code result} copies every answer through a buffer it allocates for that answer ({@code
     * responseBufferSize}), 40% of all the relay allocated under polling load (bench relay, 500 rooms), and the
     * young collections it cost were the p99.
     */
    private static void answer(Context ctx, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        jakarta.servlet.http.HttpServletResponse response = ctx.res();
        response.setStatus(status);
        response.setContentType(JSON);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private void leave(Context ctx) {
        rooms.leave(authorized(ctx), Peer.CLOSED);
        ctx.status(204);
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

    /** The polling peer this request names, if the request carries that peer's token; else 403. */
    private Peer authorized(Context ctx) {
        String roomId = Envelopes.checkId("room", ctx.pathParam("room"));
        String peerId = Envelopes.checkId("peer", ctx.pathParam("peer"));
        String header = ctx.header("Authorization");
        String token = header != null && header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).trim()
                : null;
        Peer peer = rooms.find(roomId, peerId);
        if (peer == null || !(peer.outbox() instanceof Mailbox mailbox) || !mailbox.accepts(token)) {
            throw new Refusal(
                    ErrorCodes.FORBIDDEN,
                    token == null
                            ? "send the token the join answered, as Authorization: Bearer TOKEN"
                            : "that token does not belong to " + peerId + " in room " + roomId);
        }
        mailbox.touch();
        ctx.attribute(PEER, peer);
        return peer;
    }

    /** Polling peers that sent nothing for longer than the polling timeout have left. */
    void sweep() {
        for (Peer peer : rooms.peers()) {
            if (peer.outbox() instanceof Mailbox mailbox && mailbox.silence().compareTo(config.pollingTimeout()) > 0) {
                rooms.leave(peer, Peer.TIMEOUT);
            }
        }
    }

    private static long after(Context ctx) {
        String text = ctx.queryParam("after");
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
    private Duration waitFor(Context ctx) {
        String text = ctx.queryParam("wait");
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

    private static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
