package callguide.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The baseline server: bare Jetty 12, no Javalin, no servlet, no relay logic. Connections to
 * {@code /pair/{n}/{a|b}} are paired by {@code n}; once both are there each gets a
 * {@code welcome} (the relay's join handshake has one too), and from then on every text frame
 * goes to the partner unchanged. The same thread pool shape and idle timeout as the relay's.
 */
final class EchoServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final Map<String, EchoSocket[]> pairs = new ConcurrentHashMap<>();

    EchoServer() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(250, 8);
        threads.setName("echo-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setStopTimeout(500);
        server.setHandler(WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.addMapping("/pair/*", (request, response, callback) -> {
                String[] parts = request.getHttpURI().getPath().split("/"); // "", "pair", n, side
                if (parts.length != 4 || !(parts[3].equals("a") || parts[3].equals("b"))) {
                    response.setStatus(404);
                    callback.succeeded();
                    return null;
                }
                return new EchoSocket(this, parts[2], parts[3].equals("a") ? 0 : 1);
            });
        }));
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
                String welcome = "{\"type\":\"welcome\",\"seq\":1,\"payload\":{\"room\":\"" + socket.pair + "\"}}";
                socket.session.sendText(welcome, Callback.NOOP);
                other.session.sendText(welcome, Callback.NOOP);
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

    /** One side of a pair on the echo server: forwards each text frame to its partner. */
    public static final class EchoSocket implements Session.Listener.AutoDemanding {
        private final EchoServer server;
        private final String pair;
        private final int side;
        private volatile Session session;
        private volatile EchoSocket partner;

        EchoSocket(EchoServer server, String pair, int side) {
            this.server = server;
            this.pair = pair;
            this.side = side;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            server.opened(this);
        }

        @Override
        public void onWebSocketText(String message) {
            EchoSocket to = partner;
            if (to != null && to.session.isOpen()) {
                to.session.sendText(message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            server.closed(this);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            server.closed(this);
        }
    }
}
