package callguide.kit.signal.transport;

import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The WebSocket transport: {@code ws://HOST:PORT/rooms/{room}?peer={peer}}, one JSON envelope
 * per text message. Built on the JDK's own {@link java.net.http.WebSocket}.
 *
 * <p>Messages go out in the order {@link #send} was called: the JDK allows one outstanding
 * send at a time, so each waits for the one before. Messages in reach the listener on this
 * client's own thread, one at a time, in order.
 */
public final class WebSocketRelayClient extends RelayConnectionBase {

    private final ExecutorService delivery;
    private volatile WebSocket socket;
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private WebSocketRelayClient(String room, String peer, Consumer<Envelope> listener) {
        super(room, peer, listener);
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-ws-" + peer);
            t.setDaemon(true);
            return t;
        });
    }

    public static CompletableFuture<RelayClient> connect(
            URI relay, String room, String peer, Consumer<Envelope> listener) {
        HttpClient http;
        try {
            http = RelayHttp.client(relay);
        } catch (IllegalArgumentException badRelay) {
            return CompletableFuture.failedFuture(badRelay); // a malformed pin, say
        }
        WebSocketRelayClient client = new WebSocketRelayClient(room, peer, listener);
        URI uri = webSocketUri(relay, room, peer);
        http.newWebSocketBuilder()
                .connectTimeout(JOIN_TIMEOUT)
                .buildAsync(uri, client.new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        client.delivery.shutdown();
                        client.ended("cannot open " + uri + ": " + why(relay, error));
                    } else {
                        client.socket = ws;
                    }
                });
        return client.joinedWithin(relay);
    }

    /** {@code ws://HOST:PORT/rooms/{room}?peer={peer}} for an http relay, {@code wss://} for an https one. */
    static URI webSocketUri(URI relay, String room, String peer) {
        String base = base(relay);
        String scheme = base.substring(0, base.indexOf(':')).toLowerCase(java.util.Locale.ROOT);
        String ws = switch (scheme) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> throw new IllegalArgumentException("a relay is reached by http:// or https://, not " + relay);
        };
        return URI.create(ws + base.substring(scheme.length()) + "/rooms/" + encode(room) + "?peer=" + encode(peer));
    }

    @Override
    public Transport transport() {
        return Transport.WEBSOCKET;
    }

    @Override
    public synchronized CompletableFuture<Void> send(Envelope message) {
        String json = message.toJson();
        CompletableFuture<Void> sent = lastSend.handle((v, e) -> null)
                .thenCompose(v -> {
                    WebSocket ws = socket;
                    if (ws == null || ws.isOutputClosed()) {
                        return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
                    }
                    return ws.sendText(json, true);
                })
                .thenApply(ws -> null);
        lastSend = sent;
        return sent;
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            synchronized (this) {
                lastSend.handle((v, e) -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
                        .thenCompose(f -> f)
                        .orTimeout(2, TimeUnit.SECONDS)
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                ws.abort();
                            }
                        });
            }
        }
        closed.orTimeout(3, TimeUnit.SECONDS).whenComplete((v, e) -> {
            if (e != null && socket != null) {
                socket.abort();
                ended("closed");
            }
        });
        if (ws == null) {
            ended("closed before the socket opened");
        }
        delivery.shutdown();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    delivery.execute(() -> deliver(text));
                } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
                    // closing: messages that arrive now have nobody to go to
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            String why = "closed by the relay (" + statusCode + " " + reason + ")";
            try {
                delivery.execute(() -> ended(why)); // after the messages still being delivered
            } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
                ended(why);
            }
            delivery.shutdown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended("error: " + error);
            delivery.shutdown();
        }
    }

    private void deliver(String text) {
        Envelope message;
        try {
            message = Envelope.fromJson(text);
        } catch (IllegalArgumentException e) {
            System.err.println("callguide: " + this + " got a frame that is not an envelope: " + e.getMessage());
            return;
        }
        received(message);
    }
}
