package callguide.relay;

import callguide.kit.ice.StunResponder;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The workshop's relay: rooms of two peers that pass signalling messages to each other, over a
 * WebSocket or HTTP long polling (relay protocol version 1), plus a STUN responder on UDP so
 * calls connect on a machine with no network at all.
 *
 * <p>Every message the relay puts on a peer's stream carries that peer's next {@code seq},
 * starting at 1 with the {@code welcome}. Forwarded messages carry {@code from}, the sender's
 * id; the relay's own messages ({@code welcome}, {@code peer-joined}, {@code peer-left},
 * {@code error}) carry no {@code from} at all, since "relay" would be a valid peer id.
 *
 * <pre>{@code
 * try (Relay relay = Relay.start(RelayConfig.defaults().withPort(0).withStunPort(-1))) {
 *     URI uri = URI.create(relay.url());
 *     ...
 * }
 * }</pre>
 */
public final class Relay implements AutoCloseable {
    /** The longest {@link #close} waits for responses still being written (held polls answered as the relay stops). */
    private static final Duration STOP_TIMEOUT = Duration.ofMillis(500);
    /** ... and how long a connection must have been quiet to be closed at once then (an idle keep-alive one, say). */
    private static final Duration SHUTDOWN_IDLE = Duration.ofMillis(50);
    /**
     * Threads that run handlers, per core: nothing the relay does in a handler waits (a WebSocket frame is queued, a
     * held poll is a future that holds no thread, a long-polling POST's body is read as it comes), so a few a core
     * keep every core busy.
     */
    static final int WORKERS_PER_CORE = 4;
    /** ... and never fewer than this, so a slow handler or two on a one-core machine leaves threads for the others. */
    static final int MIN_WORKERS = 8;
    /** Connections the kernel may hold for the relay before it accepts them (Node's default is 511). */
    static final int ACCEPT_QUEUE = 1024;

    private final RelayConfig config;
    /** What HTTPS and WSS are served with; null when TLS is off. */
    private final RelayCertificate certificate;

    private final Javalin app;
    private final QueuedThreadPool threads;
    private final ScheduledExecutorService sweeps;
    private final Rooms rooms;
    private final WebSocketRoutes webSockets;
    private CappedConnector connector;
    /** The live view's key, printed at start, when the live view needs one; else null. */
    private final String liveViewSecret;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** Exceptions no handler expected (never a {@link Refusal}): each is a bug, logged and counted. */
    private final AtomicLong internalErrors = new AtomicLong();

    private volatile boolean stoppedCleanly;
    private StunResponder stun;
    private Coturn coturn;
    private volatile TurnServer turnServer;
    private volatile String turnProblem;

    private Relay(RelayConfig config, RelayCertificate certificate) {
        this.config = config;
        this.certificate = certificate;
        // Sized for the work, not hundreds: Jetty's own threads (see sizeThreads) plus workers(), a thread a
        // connection never (250 of them on one core were 267 threads and a lock convoy at every join).
        this.threads = new QueuedThreadPool(workers(), Math.min(4, workers()));
        threads.setName("relay-http");
        threads.setDaemon(true);
        this.sweeps = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-sweeps");
            t.setDaemon(true);
            return t;
        });
        this.rooms = new Rooms(config, sweeps, QueueBudget.forHeap(), sweeps);
        this.liveViewSecret =
                config.access().liveViewFor(config.host()) == Access.LiveView.SECRET ? Secrets.token(18) : null;
        RequestGuard guard = RequestGuard.forRelay(config.host(), config.access());
        RefusalLimiter refusals = new RefusalLimiter(config.rateBurst(), config.ratePerSecond());
        PollingRoutes polling = new PollingRoutes(rooms, config, threads, refusals, guard, this::internalError);
        this.webSockets = webSocketServed(config)
                ? new WebSocketRoutes(rooms, config, refusals, guard, this::internalError)
                : null;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.jetty.threadPool = threads;
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = connector(server, http);
                connector.setHost(config.host());
                connector.setPort(config.port());
                // A held poll is a quiet connection: Jetty must not call it idle before the poll ends.
                connector.setIdleTimeout(config.maxPollWait().plusSeconds(30).toMillis());
                // On close, a connection nothing has moved on for this long is closed: a client's idle
                // keep-alive connection would otherwise hold the stop up for its whole stop timeout.
                connector.setShutdownIdleTimeout(SHUTDOWN_IDLE.toMillis());
                // A class joining at once: with the JDK's backlog of 50, connections beyond it were dropped by the
                // kernel and retried a second or more later (bench relay --vs peerjs: ListenOverflows at 500 rooms).
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                // Below the process's file limit: at the cap Jetty stops accepting until a connection closes.
                server.addBean(new NetworkConnectionLimit(
                        CappedConnector.connectionCap(config.caps().maxConnections()), connector));
                sizeThreads(connector);
                this.connector = (CappedConnector) connector;
                return connector;
            });
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                // Long polling and WebSocket upgrades first, before any servlet or Javalin work, on Jetty's core layer
                // (see PollingRoutes, WebSocketRoutes); Javalin puts its handler inside the innermost, for everything
                // else. Polling first: it picks its four paths out in a few comparisons, where the upgrade handler
                // matches every request against its path's regex.
                if (webSockets != null) {
                    polling.setHandler(webSockets.handler(server));
                }
                server.setHandler(polling);
            });
            // A relay that uses no HTTP sessions keeps none and sets no cookie, whatever asks for one: Jetty's default
            // cache keeps each session for good (no expiry), and Javalin's WebSocket upgrade, when it served them,
            // made one a join.
            cfg.jetty.modifyServletContextHandler(context -> {
                SessionHandler sessions = new SessionHandler();
                NullSessionCache none = new NullSessionCache(sessions);
                none.setSessionDataStore(new NullSessionDataStore());
                sessions.setSessionCache(none);
                sessions.setUsingCookies(false);
                context.setSessionHandler(sessions);
            });
            // Before anything else, on every request: its Host and Origin (WebSocketRoutes and PollingRoutes check
            // theirs alike).
            cfg.routes.before(ctx -> {
                refusals.check(ClientAddress.of(ctx.req().getRemoteAddr()));
                guard.check(ctx.scheme(), ctx.header("Host"), ctx.header("Origin"));
            });
            cfg.routes.get("/health", ctx -> ctx.contentType("application/json").result(rooms.health()));
            cfg.routes.exception(Refusal.class, (refusal, ctx) -> {
                refusals.refused(
                        ClientAddress.of(ctx.req().getRemoteAddr())); // no joined peer's: PollingRoutes has those
                ctx.status(refusal.httpStatus())
                        .contentType("application/json")
                        .result(Envelopes.error(refusal).toJson());
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (e instanceof io.javalin.http.HttpResponseException answer) {
                    ctx.status(answer.getStatus()).result(answer.getMessage()); // Javalin's own answers (a 404, say)
                    return;
                }
                if (!(e instanceof IOException)) { // a client that went away mid-request is no bug of ours
                    internalError("HTTP " + ctx.method() + " " + ctx.path(), e);
                }
                ctx.status(500).contentType("text/plain").result("the relay failed: see its log");
            });
            new Pages(rooms, config, this::stunPort, this::turnServer, liveViewSecret).register(cfg.routes);
        });
        Duration pollSweep = clamp(config.pollingTimeout().dividedBy(4));
        sweeps.scheduleWithFixedDelay(
                quietly(polling::sweep), pollSweep.toMillis(), pollSweep.toMillis(), TimeUnit.MILLISECONDS);
        if (webSockets != null) {
            Duration pings = clamp(config.webSocketTimeout().dividedBy(3));
            sweeps.scheduleWithFixedDelay(
                    quietly(webSockets::checkLiveness), pings.toMillis(), pings.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Threads that run handlers: {@link #WORKERS_PER_CORE} a core, at least {@link #MIN_WORKERS}. */
    static int workers() {
        return Math.max(MIN_WORKERS, WORKERS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }

    /**
     * The pool's size: {@link #workers()}, plus the threads Jetty leases for good (the connector's acceptors and
     * selectors) and those it keeps in reserve (one a selector, so a selector can always hand its reading on and
     * run the handler itself). Jetty refuses to start a pool without room beyond its leases; a pool with too few
     * workers would only queue handlers, never lose them, and a held poll needs none (it is a future).
     */
    private void sizeThreads(ServerConnector connector) {
        int selectors = connector.getSelectorManager().getSelectorCount();
        threads.setReservedThreads(selectors);
        threads.setMaxThreads(workers() + connector.getAcceptors() + selectors + selectors);
    }

    /** The most threads the pool runs (for tests and the start line). */
    int maxThreads() {
        return threads.getMaxThreads();
    }

    /**
     * Plain HTTP, or HTTP/1.1 over TLS with {@link #certificate} (browsers and the JDK's client both speak it; no ALPN
     * needed).
     */
    private ServerConnector connector(Server server, HttpConfiguration http) {
        int perAddress = config.caps().connectionsPerAddress();
        if (certificate == null) {
            return new CappedConnector(server, perAddress, true, new HttpConnectionFactory(http));
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        char[] password = java.util.UUID.randomUUID().toString().toCharArray(); // the store lives in memory only
        ssl.setKeyStore(certificate.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        HttpConfiguration https = new HttpConfiguration(http);
        // Requests are marked secure (https, wss). No SNI host check: a Java peer that pins the
        // certificate may reach the relay by a name the certificate does not list, and the pin
        // already says which certificate it trusts.
        https.addCustomizer(new SecureRequestCustomizer(false));
        return new CappedConnector(
                server,
                perAddress,
                false,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }

    /**
     * Starts a relay. Fails with an {@link IllegalStateException} saying what to do when the
     * port (or the STUN port) is taken or the host cannot be bound, and with an
     * {@link IllegalArgumentException} naming the file and what is wrong when the TLS
     * certificate or key cannot be used (a file that is not a certificate, a key of another
     * certificate, an expired certificate, a missing file).
     */
    public static Relay start(RelayConfig config) {
        Relay relay = new Relay(config, RelayCertificate.of(config.tls(), config.host()));
        try {
            relay.app.start();
        } catch (RuntimeException e) {
            relay.close();
            throw new IllegalStateException(
                    "the relay cannot listen on " + config.host() + ":" + config.port() + ": "
                            + (isBindFailure(e)
                                    ? "the port is taken or the address is not this machine's"
                                            + " (choose another with --port / --host)"
                                    : e.getMessage()),
                    e);
        }
        if (config.stunPort() >= 0) {
            try {
                relay.stun = StunResponder.start(InetAddress.getByName(config.host()), config.stunPort());
            } catch (IOException e) {
                relay.close();
                throw new IllegalStateException(
                        "the relay cannot answer STUN on udp " + config.host() + ":" + config.stunPort() + ": "
                                + e.getMessage() + " (choose another with --stun-port, or -1 for none)",
                        e);
            }
        }
        relay.startTurn();
        return relay;
    }

    /**
     * The TURN server of {@link RelayConfig#turn()}. Signalling works without one, so a coturn that
     * cannot start is a warning on stderr, not a failure: {@code /config} then names no TURN server.
     */
    private void startTurn() {
        TurnSettings turn = config.turn();
        switch (turn.mode()) {
            case NONE -> {}
            case EXTERNAL -> turnServer = TurnServer.external(turn.urls(), turn.secret(), turn.ttl());
            case MANAGED -> {
                try {
                    coturn = Coturn.start(config.host(), turn.port(), turn.minRelayPort(), turn.maxRelayPort());
                    turnServer = TurnServer.managed(coturn.port(), coturn.secret(), turn.ttl());
                } catch (Coturn.Unavailable | RuntimeException e) {
                    turnProblem =
                            e instanceof Coturn.Unavailable ? e.getMessage() : "turnserver could not be started: " + e;
                    System.err.println("relay: warning: no TURN server, coturn did not start: " + turnProblem
                            + "; the relay serves signalling and STUN, and /config names no TURN server");
                    System.err.flush();
                }
            }
        }
    }

    /** {@code http://HOST:PORT}, or {@code https://} when TLS is on, with the port actually bound. */
    public String url() {
        return (certificate == null ? "http://" : "https://") + config.host() + ":" + port();
    }

    /**
     * The SHA-256 fingerprint of the certificate the relay serves, as {@code openssl x509 -noout
     * -fingerprint -sha256} prints it ({@code AB:CD:...}, what a Java peer pins); null when TLS is off.
     */
    public String fingerprint() {
        return certificate == null ? null : certificate.fingerprint();
    }

    /**
     * The base64 SHA-256 of the served certificate's SubjectPublicKeyInfo, what Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes; null when TLS is off.
     */
    public String spkiHash() {
        return certificate == null ? null : certificate.spkiHash();
    }

    /**
     * Where the served certificate came from ("self-signed, kept in ..."), for the announcement; null when TLS is off.
     */
    String certificateOrigin() {
        return certificate == null ? null : certificate.origin();
    }

    public int port() {
        return app.port();
    }

    /** The UDP port STUN answers on, or -1 when STUN is off. */
    public int stunPort() {
        return stun == null ? -1 : stun.port();
    }

    /** Whether WebSocket upgrades are served: not with {@code --no-websocket}, nor under the fault no-websocket. */
    static boolean webSocketServed(RelayConfig config) {
        return config.webSocketEnabled() && !config.faults().noWebSocket();
    }

    /** The TURN server {@code /config} names, if any is up. */
    Optional<TurnServer> turnServer() {
        return Optional.ofNullable(turnServer);
    }

    /** Why {@code --turn} gave no TURN server (coturn missing, port taken, exited), if it did not. */
    public Optional<String> turnProblem() {
        return Optional.ofNullable(turnProblem);
    }

    /** The relay's own coturn, while it runs (for tests and {@code announce}). */
    Optional<Coturn> coturn() {
        return Optional.ofNullable(coturn);
    }

    public RelayConfig config() {
        return config;
    }

    /** Open WebSocket connections that joined a room (for tests: zero once everyone left). */
    int webSocketConnections() {
        return webSockets == null ? 0 : webSockets.connections();
    }

    /**
     * Characters of JSON every outbox holds in all, queued or unacknowledged (for tests: the relay's own retained
     * queue).
     */
    long queuedChars() {
        return rooms.budget().used();
    }

    /** The key the live view and {@code /api/rooms} need ({@code ?key=}), or null when the live view is open or off. */
    public String liveViewSecret() {
        return liveViewSecret;
    }

    /** The live view's mode in effect: open, secret or off. */
    public Access.LiveView liveView() {
        return config.access().liveViewFor(config.host());
    }

    /** The listening socket with its caps per address (for tests). */
    CappedConnector connector() {
        return connector;
    }

    /** Messages the faults ({@link RelayConfig#faults()}) hold right now, not yet delivered (for tests). */
    int heldByFaults() {
        return rooms.heldByFaults();
    }

    /** Polls held open right now, waiting for a message (for tests). */
    int heldPolls() {
        return (int) rooms.peers().stream()
                .filter(p -> p.outbox() instanceof Mailbox m && m.holding())
                .count();
    }

    /** Exceptions that escaped a handler or a sweep (for tests: zero, always). */
    long internalErrors() {
        return internalErrors.get();
    }

    private void internalError(String where, Throwable e) {
        internalErrors.incrementAndGet();
        org.slf4j.LoggerFactory.getLogger(Relay.class).error("relay: unexpected failure in " + where, e);
    }

    /** True once {@link #close} stopped the server within its stop timeout (for tests). */
    boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    /** Stops serving: every held poll is answered, every connection closed. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeps.shutdownNow();
        rooms.closeAll();
        try {
            app.stop();
            stoppedCleanly = true;
        } catch (RuntimeException e) {
            // stopping is best effort: nothing more to do for a server that would not stop cleanly
        }
        if (stun != null) {
            stun.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Override
    public String toString() {
        return "relay at " + url();
    }

    private static Duration clamp(Duration period) {
        Duration min = Duration.ofMillis(50);
        Duration max = Duration.ofSeconds(15);
        return period.compareTo(min) < 0 ? min : period.compareTo(max) > 0 ? max : period;
    }

    /** A periodic task that survives its own failure (a scheduled task that throws is never run again). */
    private Runnable quietly(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                internalError("a sweep", e);
            }
        };
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof io.javalin.util.JavalinBindException) {
                return true;
            }
        }
        return false;
    }
}
