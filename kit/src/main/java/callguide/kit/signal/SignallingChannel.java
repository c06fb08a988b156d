package callguide.kit.signal;

import callguide.kit.Todo;
import callguide.kit.rtc.EventLoop;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A peer's side of the signalling: relay messages in, by type, onto the peer's {@link EventLoop};
 * messages out through whichever {@link RelayClient} carries them. Both directions are recorded
 * on the timeline.
 *
 * <p>A handler that throws (a malformed candidate, an SDP webrtc-java refuses) is recorded as an
 * {@code error} event and the next message is still handled: one bad message from the other
 * side does not end the call. An unfinished exercise ({@link Todo}) is also reported to the
 * loop's failure listeners. A message of a type nobody handles is recorded and otherwise ignored.
 */
public final class SignallingChannel implements AutoCloseable {
    private final EventLoop loop;
    private final CallTimeline timeline;
    private final Map<String, List<Consumer<Envelope>>> handlers = new ConcurrentHashMap<>();
    private final CompletableFuture<RelayClient> client = new CompletableFuture<>();
    private CompletableFuture<Void> lastHandOff = CompletableFuture.completedFuture(null);

    public SignallingChannel(EventLoop loop, CallTimeline timeline) {
        this.loop = loop;
        this.timeline = timeline;
    }

    /** The listener to give a {@link RelayClient} when connecting. */
    public Consumer<Envelope> listener() {
        return message -> loop.execute(() -> dispatch(message));
    }

    /** The connection to send through, once connected. Messages sent before wait for it. */
    public void attach(RelayClient relayClient) {
        client.complete(relayClient);
    }

    /** The connection, once attached. */
    public CompletableFuture<RelayClient> client() {
        return client;
    }

    /** Handles every message of {@code type} on the peer's loop. Several handlers run in the order added. */
    public void on(String type, Consumer<Envelope> handler) {
        handlers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Sends {@code type} with {@code payload} to the other peer. Fails if the relay refused it. */
    public synchronized CompletableFuture<Void> send(String type, Object payload) {
        timeline.record(EventKind.MESSAGE_SENT, type);
        // Handed to the client in the order sent, also while it is not attached yet (dependents
        // of one future would otherwise run in no promised order). Only the hand-over is chained,
        // not the delivery: a send that takes its time never holds back the ones after it.
        CompletableFuture<Void> sent = new CompletableFuture<>();
        lastHandOff = lastHandOff.thenCompose(v -> client).handle((c, error) -> {
            if (error != null) {
                sent.completeExceptionally(error);
                return null;
            }
            try {
                c.send(type, payload).whenComplete((v, e) -> {
                    if (e != null) {
                        sent.completeExceptionally(e);
                    } else {
                        sent.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                sent.completeExceptionally(e);
            }
            return null;
        });
        return sent;
    }

    private void dispatch(Envelope message) {
        timeline.record(EventKind.MESSAGE_RECEIVED, describe(message));
        for (Consumer<Envelope> handler : handlers.getOrDefault(message.type(), List.of())) {
            try {
                handler.accept(message);
            } catch (RuntimeException | Error e) {
                timeline.record(EventKind.ERROR, message.type() + " message refused: " + e.getMessage());
                if (Todo.in(e).isPresent()) {
                    loop.fail(e); // unfinished exercise code: the run stops and names the step
                }
            }
        }
    }

    private static String describe(Envelope message) {
        if (MessageTypes.ERROR.equals(message.type()) && message.payload() != null) {
            return "error " + message.payload().path("code").asText();
        }
        return message.type();
    }

    @Override
    public void close() {
        client.thenAccept(RelayClient::close);
    }
}
