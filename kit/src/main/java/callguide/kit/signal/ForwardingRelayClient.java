package callguide.kit.signal;

import java.util.concurrent.CompletableFuture;

/**
 * A relay connection that passes everything to another: tests, and the step programs' {@code --without} runs,
 * override {@link #send} to hold a message back, drop one, or reorder what the relay sees.
 */
public abstract class ForwardingRelayClient implements RelayClient {
    private final RelayClient relay;

    protected ForwardingRelayClient(RelayClient relay) {
        this.relay = relay;
    }

    @Override
    public CompletableFuture<Void> send(Envelope message) {
        return relay.send(message);
    }

    @Override
    public Transport transport() {
        return relay.transport();
    }

    @Override
    public String room() {
        return relay.room();
    }

    @Override
    public String peer() {
        return relay.peer();
    }

    @Override
    public Payloads.Welcome welcome() {
        return relay.welcome();
    }

    @Override
    public CompletableFuture<Void> closed() {
        return relay.closed();
    }

    @Override
    public void close() {
        relay.close();
    }
}
