package callguide.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The outbox of a long-polling peer. A message stays here until a later poll's {@code after}
 * acknowledges it, so a response lost on the way costs nothing: the next poll asks again from
 * the same point and gets the same messages, in order.
 *
 * <p>At most one poll is held open at a time: a new poll answers the one before it (empty),
 * since a client only polls again once it gave up on the last one. The mailbox also remembers
 * when its peer last showed up, for the silence timeout. Thread-safe.
 *
 * <p>A poll's answer is a {@link Supplier} of its body, called as the answer is written: a held poll
 * woken by a message is written on another thread a moment later, and under load more messages
 * arrive in that moment; its body then carries them all, so a busy peer's messages share polls
 * (fewer requests a message) with no wait added to any.
 *
 * <p>Bounded: at most {@link Caps#mailboxMessages()} messages and {@link Caps#mailboxBytes()}
 * characters of JSON left unacknowledged, within the relay's {@link QueueBudget}. A peer that
 * never acknowledges (a poll with {@code after=0} again and again, or no poll at all) fills it,
 * and the next message is refused: the relay then drops the peer ({@code slow}).
 */
final class Mailbox implements Outbox {

    @Override
    public String transport() {
        return "polling";
    }

    static final String NOTHING = "{\"messages\":[]}";

    private static final Supplier<String> EMPTY = () -> NOTHING;

    private record Kept(long seq, String json) {}

    private final byte[] token;
    private final int maxMessages;
    private final int maxChars;
    private final QueueBudget budget;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private long keptChars;
    private CompletableFuture<Supplier<String>> held;
    /** The answer of a poll with messages: every message kept when it is written. */
    private final Supplier<String> current = this::body;

    private long lastSeen = System.nanoTime();
    private boolean closed;

    Mailbox(String token, Caps caps, QueueBudget budget) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.maxMessages = caps.mailboxMessages();
        this.maxChars = caps.mailboxBytes();
        this.budget = budget;
    }

    /** True when {@code presented} is this peer's token (compared in constant time). */
    boolean accepts(String presented) {
        return presented != null && accepts(presented, 0, presented.length());
    }

    /**
     * True when {@code text} from {@code start} to {@code end} is this peer's token, compared in constant time (for
     * tokens of a token's length), without copying it out of {@code text} (an Authorization header, say).
     */
    boolean accepts(CharSequence text, int start, int end) {
        if (end - start != token.length) {
            return false;
        }
        int differences = 0;
        for (int i = 0; i < token.length; i++) {
            differences |= token[i] ^ text.charAt(start + i);
        }
        return differences == 0;
    }

    /** The peer showed up (any request of its own). */
    synchronized void touch() {
        lastSeen = System.nanoTime();
    }

    /** True while a poll of this peer is held open. */
    synchronized boolean holding() {
        return held != null;
    }

    /** How long the peer has been silent; never silent while one of its polls is held. */
    synchronized Duration silence() {
        return held != null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastSeen);
    }

    /**
     * A poll: forgets the messages up to {@code after} (the client has them), then answers the
     * body {@code {"messages": [...]}} with every message kept (when the answer is written), at
     * once if there is any, else as soon as one arrives or {@code wait} has passed.
     */
    synchronized CompletableFuture<Supplier<String>> poll(long after, Duration wait) {
        lastSeen = System.nanoTime();
        if (!closed) { // once closed, what is kept is for a held poll's answer (the budget has it back already)
            while (!kept.isEmpty() && kept.peekFirst().seq() <= after) {
                forget(kept.removeFirst());
            }
        }
        if (held != null) {
            held.complete(EMPTY);
        }
        if (!kept.isEmpty() || closed || wait.isZero()) {
            return CompletableFuture.completedFuture(current);
        }
        CompletableFuture<Supplier<String>> poll = new CompletableFuture<>();
        held = poll;
        poll.completeOnTimeout(EMPTY, wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((body, error) -> ended(poll));
        return poll;
    }

    private synchronized void ended(CompletableFuture<Supplier<String>> poll) {
        if (held == poll) {
            held = null;
        }
        lastSeen = System.nanoTime();
    }

    @Override
    public synchronized boolean put(long seq, String json) {
        if (closed
                || kept.size() >= maxMessages
                || keptChars + json.length() > maxChars
                || !budget.take(json.length())) {
            return false;
        }
        kept.addLast(new Kept(seq, json));
        keptChars += json.length();
        if (held != null) {
            held.complete(current);
        }
        return true;
    }

    private void forget(Kept message) {
        keptChars -= message.json().length();
        budget.give(message.json().length());
    }

    /** Characters of JSON kept unacknowledged (for tests). */
    synchronized long keptChars() {
        return keptChars;
    }

    /**
     * The peer left: a held poll gets what is kept (a peer that left cleanly may read its last
     * messages; so does a poll woken just before, whose answer is not yet written), and the
     * budget gets its share back at once, since nobody can poll this mailbox again (the peer is
     * gone, so its token opens nothing). What is kept goes with the mailbox, bounded as it was.
     */
    @Override
    public synchronized void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (held != null) {
            held.complete(current);
        }
        kept.forEach(this::forget);
    }

    /** The body of a poll's answer: every message kept, in order. */
    private synchronized String body() {
        // Sized for what is kept (its characters, a comma each, the braces), so it is not grown as it is built.
        StringBuilder body = new StringBuilder((int) Math.min(1 << 30, keptChars + kept.size() + 16));
        body.append("{\"messages\":[");
        for (Kept message : kept) {
            body.append(message.json()).append(',');
        }
        if (!kept.isEmpty()) {
            body.setLength(body.length() - 1);
        }
        return body.append("]}").toString();
    }
}
