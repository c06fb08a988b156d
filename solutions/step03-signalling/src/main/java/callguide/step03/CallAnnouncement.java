package callguide.step03;

import callguide.kit.signal.CallOutcome;
import callguide.kit.signal.ErrorCodes;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SignallingChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        // Task 2. Listen before sending: the answer could come back before send() returns.
        CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
        channel.on(MessageTypes.ACCEPT, message -> outcome.complete(CallOutcome.ACCEPTED));
        channel.on(MessageTypes.DECLINE, message -> outcome.complete(CallOutcome.DECLINED));
        channel.on(MessageTypes.ERROR, message -> {
            if (message.payload() != null
                    && ErrorCodes.NO_SUCH_PEER.equals(
                            message.payload().path("code").asText())) {
                outcome.complete(CallOutcome.NO_CALLEE);
            }
        });
        channel.send(MessageTypes.CALL, Map.of()).exceptionally(error -> {
            outcome.complete(CallOutcome.NO_CALLEE);
            return null;
        });
        return outcome.completeOnTimeout(CallOutcome.NO_ANSWER, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Callee: when a {@code call} comes, runs {@code prepare} (media and peer), then answers
     * {@code accept}; {@code decline} if preparing failed. Completes when the answer was sent.
     */
    public CompletableFuture<Void> answerWhenCalled(Supplier<CompletableFuture<?>> prepare) {
        // Task 3. Accept only once prepare() is done: the offer may follow at once.
        CompletableFuture<Void> answered = new CompletableFuture<>();
        channel.on(
                MessageTypes.CALL,
                message -> CompletableFuture.completedFuture(null)
                        .thenCompose(start -> prepare.get()) // a prepare() that throws is a failed future too
                        .thenCompose(ready -> channel.send(MessageTypes.ACCEPT, Map.of()))
                        .exceptionallyCompose(error -> channel.send(
                                        MessageTypes.DECLINE, Map.of("reason", String.valueOf(error.getMessage())))
                                .thenRun(() -> {
                                    throw new IllegalStateException("declined: preparing media and peer failed", error);
                                }))
                        .whenComplete((ok, error) -> {
                            if (error == null) {
                                answered.complete(null);
                            } else {
                                answered.completeExceptionally(error);
                            }
                        }));
        return answered;
    }
}
