package callguide.step03;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.RelayException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Joining the room on the relay: WebSockets first, HTTP long polling where they fail. */
public final class RelayConnection {

    private RelayConnection() {}

    public static CompletableFuture<RelayClient> connect(
            URI relay, String room, String peer, Consumer<Envelope> listener) {
        // Task 1. Fall back only when the WebSocket itself failed (a proxy that drops upgrades, a
        // firewall). When the relay refused the join (room-full, peer-taken, bad-id) it would refuse
        // the polling join too: pass that refusal on as it is.
        return RelayClient.webSocket(relay, room, peer, listener)
                .exceptionallyCompose(error -> rootCause(error) instanceof RelayException refused
                        ? CompletableFuture.failedFuture(refused)
                        : RelayClient.longPolling(relay, room, peer, listener));
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
