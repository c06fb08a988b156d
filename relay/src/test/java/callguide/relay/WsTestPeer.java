package callguide.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A relay peer on the JDK's WebSocket client: {@code ws://HOST:PORT/rooms/{room}?peer={peer}} (wss for a TLS relay).
 */
final class WsTestPeer implements TestClient, WebSocket.Listener {
    private final String peer;
    private final BlockingDeque<JsonNode> inbox = new LinkedBlockingDeque<>();
    private final StringBuilder partial = new StringBuilder();
    /** The close code the relay sent, or -1 when the connection broke without one. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private WebSocket socket;

    private WsTestPeer(String peer) {
        this.peer = peer;
    }

    /** Opens the socket and waits for the relay's first answer (welcome or error), which stays in the inbox. */
    static WsTestPeer join(Relay relay, String room, String peer) throws Exception {
        WsTestPeer p = connect(relay, room + "?peer=" + URLEncoder.encode(peer, StandardCharsets.UTF_8), peer);
        JsonNode first = p.next();
        p.inbox.addFirst(first);
        return p;
    }

    /** Opens {@code ws://.../rooms/{pathAndQuery}} (or wss) and returns once the handshake is done. */
    static WsTestPeer connect(Relay relay, String pathAndQuery, String peer) throws Exception {
        WsTestPeer p = new WsTestPeer(peer);
        p.socket = TestClient.http(relay)
                .newWebSocketBuilder()
                .buildAsync(URI.create(TestClient.webSocketUrl(relay) + "/rooms/" + pathAndQuery), p)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public BlockingDeque<JsonNode> inbox() {
        return inbox;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            inbox.add(TestClient.parse(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    /** One text frame; returns once it is written (the relay's answer, if any, comes on the inbox). */
    @Override
    public synchronized Answer sendFrame(String frame) throws Exception {
        socket.sendText(frame, true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new Answer(0, null);
    }

    synchronized void sendBinary(byte[] frame) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(frame), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Ends the connection at once, without a closing handshake (a killed process). */
    void abort() {
        socket.abort();
    }

    /** A clean close (1000), waiting a bounded time for the relay's answer. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                    .orTimeout(2, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
            closed.completeOnTimeout(-1, 2, TimeUnit.SECONDS).join();
        }
        socket.abort();
    }
}
