package callguide.kit.signal;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A peer's connection to the relay, whatever carries it. Two transports implement it:
 * WebSocket ({@code ws://HOST:PORT/rooms/{room}?peer={peer}}) and HTTP long polling.
 *
 * <p>Threads: messages reach the listener one at a time, in {@code seq} order, on a thread of
 * the client's own; a listener that throws is reported on stderr and the next message still comes.
 */
public interface RelayClient extends AutoCloseable {

    enum Transport {
        WEBSOCKET,
        LONG_POLLING
    }

    /**
     * Joins {@code room} as {@code peer} over a WebSocket. Completes once the relay's
     * {@code welcome} arrived; fails with a {@link RelayException} (its code: {@code room-full},
     * {@code peer-taken}, {@code bad-id}, ...) or an I/O error when the join is refused or the
     * relay cannot be reached.
     */
    static CompletableFuture<RelayClient> webSocket(URI relay, String room, String peer, Consumer<Envelope> listener) {
        return callguide.kit.signal.transport.WebSocketRelayClient.connect(relay, room, peer, listener);
    }

    /** The same over HTTP long polling, for networks where WebSockets fail. */
    static CompletableFuture<RelayClient> longPolling(
            URI relay, String room, String peer, Consumer<Envelope> listener) {
        return callguide.kit.signal.transport.LongPollingRelayClient.connect(relay, room, peer, listener);
    }

    Transport transport();

    String room();

    String peer();

    /** The relay's {@code welcome}: who was already in the room when this peer joined. */
    Payloads.Welcome welcome();

    /**
     * Sends one message. Returns once the transport took it (for long polling, once the relay
     * answered 202). Fails with a {@link RelayException} when the relay refused it.
     */
    CompletableFuture<Void> send(Envelope message);

    /** Sends {@code type} with {@code payload} to the other peer of the room. */
    default CompletableFuture<Void> send(String type, Object payload) {
        return send(Envelope.of(type, payload));
    }

    /** Completes when the connection ended, for whatever reason. */
    CompletableFuture<Void> closed();

    /** Leaves the room. Idempotent. */
    @Override
    void close();
}
