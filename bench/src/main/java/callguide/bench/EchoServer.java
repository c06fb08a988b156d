package callguide.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The baseline server: bare Jetty 12's core WebSocket layer (the one the relay's WebSocket transport stands on), no
 * Javalin, no servlet, no relay logic. Connections to {@code /pair/{n}/{a|b}} are paired by {@code n}; once both are
 * there each gets a {@code welcome} (the relay's join handshake has one too), and from then on every frame's bytes go
 * to the partner as they came, neither decoded nor checked: the least a forwarder on Jetty can do. The same accept
 * queue as the relay's; a small pool, as the relay's is.
 */
final class EchoServer implements AutoCloseable {
    /** As the relay's (Relay.ACCEPT_QUEUE): a class's worth of joins at once is not dropped by the kernel. */
    private static final int ACCEPT_QUEUE = 1024;

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, EchoSocket[]> pairs = new ConcurrentHashMap<>();

    EchoServer() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("echo-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);
        server.setStopTimeout(500);
        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
        upgrades.getConfiguration().setIdleTimeout(Duration.ofMinutes(2));
        upgrades.addMapping(new RegexPathSpec("^/pair/[^/]+/[ab]$"), (request, response, callback) -> {
            String[] parts = request.getHttpURI().getPath().split("/"); // "", "pair", n, side
            return new EchoSocket(this, parts[2], parts[3].equals("a") ? 0 : 1);
        });
        server.setHandler(upgrades);
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    /**
     * The echo in a process of its own ({@link ServerProcess#echo}), for the load generator's ceiling beside {@code
     * --vs peerjs}: prints {@code echo listening on http://127.0.0.1:PORT} and serves until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        EchoServer echo = new EchoServer();
        System.out.println("echo listening on http://127.0.0.1:" + echo.port());
        System.out.flush();
        echo.server.join();
    }

    void opened(EchoSocket socket) {
        EchoSocket[] pair = pairs.computeIfAbsent(socket.pair, k -> new EchoSocket[2]);
        synchronized (pair) {
            pair[socket.side] = socket;
            EchoSocket other = pair[1 - socket.side];
            if (other != null) {
                socket.partner = other;
                other.partner = socket;
                byte[] welcome = ("{\"type\":\"welcome\",\"seq\":1,\"payload\":{\"room\":\"" + socket.pair + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                socket.send(new Frame(OpCode.TEXT, ByteBuffer.wrap(welcome)));
                other.send(new Frame(OpCode.TEXT, ByteBuffer.wrap(welcome)));
            }
        }
    }

    void closed(EchoSocket socket) {
        EchoSocket[] pair = pairs.get(socket.pair);
        if (pair != null) {
            synchronized (pair) {
                pair[socket.side] = null;
                if (pair[0] == null && pair[1] == null) {
                    pairs.remove(socket.pair, pair);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // best effort, as for the relay
        }
    }

    /** One side of a pair on the echo server: forwards each data frame to its partner, as it came. */
    static final class EchoSocket implements FrameHandler {
        private final EchoServer server;
        private final String pair;
        private final int side;
        private volatile CoreSession session;
        private volatile EchoSocket partner;

        EchoSocket(EchoServer server, String pair, int side) {
            this.server = server;
            this.pair = pair;
            this.side = side;
        }

        void send(Frame frame) {
            session.sendFrame(frame, Callback.NOOP, false);
        }

        @Override
        public void onOpen(CoreSession session, Callback callback) {
            this.session = session;
            server.opened(this);
            callback.succeeded();
            session.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            byte opCode = frame.getOpCode();
            if (opCode == OpCode.TEXT || opCode == OpCode.BINARY || opCode == OpCode.CONTINUATION) {
                EchoSocket to = partner;
                if (to != null && to.session.isOutputOpen()) {
                    // The payload is Jetty's until the callback completes: the partner gets a copy.
                    ByteBuffer copy = ByteBuffer.allocate(frame.getPayloadLength());
                    if (frame.hasPayload()) {
                        copy.put(frame.getPayload()).flip();
                    }
                    to.send(new Frame(opCode, frame.isFin(), copy));
                }
            }
            callback.succeeded(); // a ping or a close Jetty answers itself
            if (opCode != OpCode.CLOSE) {
                session.demand();
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            server.closed(this);
            callback.succeeded();
        }
    }
}
