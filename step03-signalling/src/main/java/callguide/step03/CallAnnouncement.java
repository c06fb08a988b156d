package callguide.step03;

import callguide.kit.Todo;
import callguide.kit.signal.CallOutcome;
import callguide.kit.signal.SignallingChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The guide's "signal that we're starting a call": the caller announces it, the callee gets its
 * media and peer ready, then accepts. Only then does the caller make an offer, so the callee is
 * never handed an offer it has no peer for.
 */
public final class CallAnnouncement {
    private final SignallingChannel channel;

    public CallAnnouncement(SignallingChannel channel) {
        this.channel = channel;
    }

    /** Caller: sends {@code call}; completes with how it ended, at the latest after {@code timeout}. */
    public CompletableFuture<CallOutcome> announce(Duration timeout) {
        // TODO(step03): task 2. "I am calling", then the first of four endings (CallOutcome).
        //  Find out how each ending reaches you, when you must be listening, and how waiting ends.
        throw Todo.task("step03", 2, "announce the call and wait for accept or decline");
    }

    /**
     * Callee: when a {@code call} comes, runs {@code prepare} (media and peer), then answers
     * {@code accept}; {@code decline} if preparing failed. Completes when the answer was sent.
     */
    public CompletableFuture<Void> answerWhenCalled(Supplier<CompletableFuture<?>> prepare) {
        // TODO(step03): task 3. Say yes only when ready: the offer may follow at once. And a callee
        //  that cannot get ready says so. When is the returned future done?
        throw Todo.task("step03", 3, "on a call, prepare media and peer, then accept");
    }
}
