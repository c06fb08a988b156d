package callguide.step03;

import callguide.kit.Todo;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Joining the room on the relay: WebSockets first, HTTP long polling where they fail. */
public final class RelayConnection {

    private RelayConnection() {}

    public static CompletableFuture<RelayClient> connect(
            URI relay, String room, String peer, Consumer<Envelope> listener) {
        // TODO(step03): task 1. Try RelayClient.webSocket; if that fails, RelayClient.longPolling.
        //  But when the relay itself refused the join (a RelayException: room-full, peer-taken, ...)
        //  polling would be refused too: fail with that refusal instead.
        throw Todo.task("step03", 1, "join the room over WebSocket, falling back to long polling");
    }
}
