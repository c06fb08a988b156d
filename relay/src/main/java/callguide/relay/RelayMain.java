package callguide.relay;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./workshop relay}: runs one relay until the process is stopped. {@code --help} lists
 * every setting with its default.
 */
public final class RelayMain {

    /**
     * Where a self-signed certificate is kept unless {@code --tls-dir} says otherwise (relative to the working
     * directory: the project root for {@code ./workshop}).
     */
    static final Path DEFAULT_TLS_DIR = Path.of(".workshop", "tls");
    /** The heap {@code ./workshop relay} gives the relay's JVM (its {@code RELAY_JVM}); said in the usage. */
    static final String HEAP = "128 MB";

    private RelayMain() {}

    public static void main(String[] args) throws InterruptedException {
        Launch launch = launch(args, System.out, System.err);
        if (launch.relay() == null) {
            if (launch.exitCode() != 0) {
                System.exit(launch.exitCode());
            }
            return;
        }
        Relay relay = launch.relay();
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "relay-shutdown"));
        new CountDownLatch(1).await(); // serve until the process is stopped
    }

    /** A started relay (announced on {@code out}), or why not: the exit code, its message already on {@code err}. */
    record Launch(Relay relay, int exitCode) {}

    /**
     * Parses {@code args}, starts the relay and announces it. Bad options and unusable TLS
     * files exit 2, a relay that cannot listen exits 1, each with one {@code relay: ...} line
     * (never a stack trace).
     */
    static Launch launch(String[] args, PrintStream out, PrintStream err) {
        RelayConfig config;
        try {
            config = parse(args);
        } catch (HelpRequested help) {
            out.print(usage());
            return new Launch(null, 0);
        } catch (IllegalArgumentException e) {
            err.println("relay: " + e.getMessage());
            err.println("relay: --help lists every option");
            return new Launch(null, 2);
        }
        Relay relay;
        try {
            relay = Relay.start(config);
        } catch (IllegalArgumentException e) {
            err.println("relay: " + e.getMessage()); // the TLS certificate or key: the file and what is wrong with it
            return new Launch(null, 2);
        } catch (IllegalStateException e) {
            err.println("relay: " + e.getMessage());
            return new Launch(null, 1);
        }
        announce(relay, out);
        return new Launch(relay, 0);
    }

    static void announce(Relay relay, PrintStream out) {
        RelayConfig config = relay.config();
        out.println("relay listening on " + relay.url()
                + (Relay.webSocketServed(config) ? " (WebSocket + long polling)" : " (long polling only)")
                + (relay.stunPort() >= 0 ? ", STUN on udp " + config.host() + ":" + relay.stunPort() : ", STUN off"));
        out.println(turnLine(relay));
        if (config.faults().any()) {
            out.println(faultsLine(config.faults()));
        }
        if (relay.fingerprint() != null) {
            announceTls(relay, out);
        }
        out.println(liveViewLine(relay));
        if (!isLoopback(config.host())) {
            out.println("relay: bound to " + config.host() + ", so anyone who can reach this machine can join a room;"
                    + " run it on a network you trust, for the length of the workshop");
        }
        out.flush();
    }

    /** What the relay does wrong on purpose; said at start, so nobody takes it for a broken relay. */
    static String faultsLine(Faults faults) {
        return "faults on (the relay misbehaves on purpose; the live view marks what it did): " + faults;
    }

    /** Where the live view is, and whether it needs the key. */
    public static String liveViewLine(Relay relay) {
        String base = relay.url()
                .replace(
                        "://0.0.0.0:",
                        "://"
                                + CertificateNames.reachableAt(relay.config().host())
                                        .get(0) + ":")
                .replace("://[::]:", "://[::1]:");
        String addresses = relay.config().access().liveViewAddresses() ? "" : ", candidate addresses redacted";
        return switch (relay.liveView()) {
            case OFF -> "live view off";
            case SECRET ->
                "live view (keep the key to yourself" + addresses + "): " + base + "/?key=" + relay.liveViewSecret();
            default ->
                "live view" + (addresses.isEmpty() ? "" : " (" + addresses.substring(2) + ")") + ": " + base + "/";
        };
    }

    /** Whether TURN runs, where, and for how long its credentials last; or why there is none. */
    static String turnLine(Relay relay) {
        TurnSettings turn = relay.config().turn();
        String credentials = "REST credentials, valid " + hours(turn.ttl())
                + (turn.relayOnly() ? "; clients asked to relay only" : "");
        return switch (turn.mode()) {
            case NONE -> "TURN off (--turn runs coturn alongside the relay, for networks that block UDP)";
            case EXTERNAL -> "TURN at " + String.join(", ", turn.urls()) + " (external coturn, " + credentials + ")";
            case MANAGED ->
                relay.coturn()
                        .map(coturn -> "TURN on udp+tcp "
                                + Coturn.hostPort(relay.config().host(), coturn.port()) + " (coturn, " + credentials
                                + "; relayed through udp ports " + turn.minRelayPort() + "-" + turn.maxRelayPort()
                                + ")")
                        .orElseGet(() -> "TURN off: coturn did not start: "
                                + relay.turnProblem().orElse("unknown reason")
                                + (turn.relayOnly() ? " (so /config does not ask for relay only)" : ""));
        };
    }

    /** The certificate, and how learners' browsers and Java peers reach the relay with it. */
    private static void announceTls(Relay relay, PrintStream out) {
        String fingerprint = relay.fingerprint();
        List<String> bases = CertificateNames.reachableAt(relay.config().host()).stream()
                .map(a -> "https://" + (a.contains(":") ? "[" + a + "]" : a) + ":" + relay.port())
                .toList();
        out.println("  certificate: " + relay.certificateOrigin());
        out.println("  certificate SHA-256 fingerprint: " + fingerprint);
        out.println(
                "  SPKI SHA-256, base64 (for Chromium's --ignore-certificate-errors-spki-list): " + relay.spkiHash());
        out.println("  learners open, on their laptop (the browser warns about the certificate once; its "
                + "fingerprint is above):");
        bases.forEach(b -> out.println("    " + b + "/call.html?room=ROOM&peer=NAME&role=caller"));
        out.println("  a Java peer joins with:");
        bases.forEach(b -> out.println("    ./workshop peer --relay " + b + " --fingerprint " + fingerprint
                + " --room ROOM --peer NAME --role caller|callee"));
        out.println("  or, with the learner's own five steps, ./workshop call with the same flags");
    }

    /** The settings {@code args} ask for, on top of {@link RelayConfig#defaults()}. */
    static RelayConfig parse(String... args) {
        RelayConfig config = RelayConfig.defaults();
        TurnFlags turn = new TurnFlags();
        // TLS is decided once every flag is read: its default depends on --host, wherever that comes.
        Boolean tls = null;
        String tlsCert = null;
        String tlsKey = null;
        String tlsDir = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String inline = null;
            if (flag.startsWith("--") && flag.contains("=")) {
                inline = flag.substring(flag.indexOf('=') + 1);
                flag = flag.substring(0, flag.indexOf('='));
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new HelpRequested();
            }
            if (flag.equals("--live-view-addresses")) {
                config = config.withAccess(config.access().withLiveViewAddresses(true));
                continue;
            }
            if (flag.equals("--no-websocket")) {
                config = config.withWebSocketEnabled(false);
                continue;
            }
            if (flag.equals("--turn") || flag.equals("--relay-only")) {
                if (inline != null) {
                    throw new IllegalArgumentException(flag + " takes no value");
                }
                turn.managed |= flag.equals("--turn");
                turn.relayOnly |= flag.equals("--relay-only");
                continue;
            }
            if (flag.equals("--tls") || flag.equals("--no-tls")) {
                boolean on = flag.equals("--tls");
                if (tls != null && tls != on) {
                    throw new IllegalArgumentException("--tls and --no-tls contradict each other: give one");
                }
                tls = on;
                continue;
            }
            String value = inline;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(
                            flag.startsWith("--") && isKnown(flag)
                                    ? flag + " needs a value"
                                    : "unknown option " + flag);
                }
                value = args[++i];
            }
            config = switch (flag) {
                case "--host" -> config.withHost(value);
                case "--port" -> config.withPort(integer(flag, value));
                case "--stun-port" -> config.withStunPort(integer(flag, value));
                case "--max-message-bytes" -> config.withMaxMessageBytes(integer(flag, value));
                case "--rate-burst" -> config.withRateBurst(integer(flag, value));
                case "--rate-per-second" -> config.withRatePerSecond(integer(flag, value));
                case "--max-rooms" -> config.withMaxRooms(integer(flag, value));
                case "--max-poll-wait" -> config.withMaxPollWait(seconds(flag, value));
                case "--poll-timeout" -> config.withPollingTimeout(seconds(flag, value));
                case "--ws-timeout" -> config.withWebSocketTimeout(seconds(flag, value));
                case "--max-queued-bytes" -> config.withCaps(config.caps().withMaxQueuedBytes(integer(flag, value)));
                case "--mailbox-messages" ->
                    config.withCaps(config.caps()
                            .withMailbox(integer(flag, value), config.caps().mailboxBytes()));
                case "--rooms-per-address" -> config.withCaps(config.caps().withRoomsPerAddress(integer(flag, value)));
                case "--peers-per-address" -> config.withCaps(config.caps().withPeersPerAddress(integer(flag, value)));
                case "--connections-per-address" ->
                    config.withCaps(config.caps().withConnectionsPerAddress(integer(flag, value)));
                case "--max-connections" -> config.withCaps(config.caps().withMaxConnections(integer(flag, value)));
                case "--faults" -> config.withFaults(Faults.parse(value));
                case "--rejoin-grace" -> config.withAccess(config.access().withRejoinGrace(seconds(flag, value)));
                case "--live-view" -> config.withAccess(config.access().withLiveView(Access.LiveView.parse(value)));
                case "--allow-origin" ->
                    config.withAccess(config.access()
                            .withAllowOrigins(plus(config.access().allowOrigins(), value)));
                case "--allow-host" ->
                    config.withAccess(
                            config.access().withAllowHosts(plus(config.access().allowHosts(), value)));
                case "--mailbox-bytes" ->
                    config.withCaps(config.caps().withMailbox(config.caps().mailboxMessages(), integer(flag, value)));
                case "--turn-port" -> {
                    turn.port = integer(flag, value);
                    yield config;
                }
                case "--turn-url" -> {
                    Arrays.stream(value.split(",")).map(String::trim).forEach(turn.urls::add);
                    yield config;
                }
                case "--turn-secret" -> {
                    turn.secret = value;
                    yield config;
                }
                case "--turn-ttl" -> {
                    turn.ttl = seconds(flag, value);
                    yield config;
                }
                case "--turn-relay-ports" -> {
                    turn.relayPorts = range(flag, value);
                    yield config;
                }
                case "--tls-cert" -> {
                    tlsCert = path(flag, value);
                    yield config;
                }
                case "--tls-key" -> {
                    tlsKey = path(flag, value);
                    yield config;
                }
                case "--tls-dir" -> {
                    tlsDir = path(flag, value);
                    yield config;
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
        return config.withTurn(turn.settings()).withTls(tls(config.host(), tls, tlsCert, tlsKey, tlsDir));
    }

    /** {@code list} and the comma-separated entries of {@code value}. */
    private static List<String> plus(List<String> list, String value) {
        List<String> out = new ArrayList<>(list);
        Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .forEach(out::add);
        return out;
    }

    /** The TURN flags as given, in any order; {@link #settings()} checks they fit together. */
    private static final class TurnFlags {
        boolean managed;
        boolean relayOnly;
        Integer port;
        final List<String> urls = new ArrayList<>();
        String secret;
        Duration ttl;
        int[] relayPorts;

        TurnSettings settings() {
            boolean external = !urls.isEmpty() || secret != null;
            if (managed && external) {
                throw new IllegalArgumentException(
                        "--turn runs coturn here and --turn-url/--turn-secret name one elsewhere: give one of them");
            }
            if (external && port != null) {
                throw new IllegalArgumentException(
                        "--turn-port is the port of the relay's own coturn (--turn); an external one's port "
                                + "goes in --turn-url");
            }
            if (external && relayPorts != null) {
                throw new IllegalArgumentException("--turn-relay-ports is for the relay's own coturn (--turn)");
            }
            if (external && urls.isEmpty()) {
                throw new IllegalArgumentException(
                        "--turn-secret needs --turn-url, the external TURN server it belongs to");
            }
            if (external && secret == null) {
                throw new IllegalArgumentException(
                        "--turn-url needs --turn-secret, the static-auth-secret of that coturn (use-auth-secret)");
            }
            if (secret != null && secret.isEmpty()) {
                throw new IllegalArgumentException("--turn-secret must not be empty");
            }
            if (!managed && !external && (ttl != null || relayPorts != null)) {
                throw new IllegalArgumentException((ttl != null ? "--turn-ttl" : "--turn-relay-ports")
                        + " needs a TURN server: --turn, or --turn-url with --turn-secret");
            }
            // --turn-port alone is taken as --turn with that port: nothing else could be meant.
            TurnSettings turn = external
                    ? TurnSettings.external(urls, secret)
                    : managed || port != null
                            ? TurnSettings.managed(port == null ? TurnSettings.DEFAULT_PORT : port)
                            : TurnSettings.off();
            if (ttl != null) {
                turn = turn.withTtl(ttl);
            }
            if (relayPorts != null) {
                turn = turn.withRelayPorts(relayPorts[0], relayPorts[1]);
            }
            return turn.withRelayOnly(relayOnly);
        }
    }

    /**
     * On beyond loopback unless --no-tls, off on loopback unless --tls; a given certificate if --tls-cert and
     * --tls-key, else a self-signed one.
     */
    private static TlsSettings tls(String host, Boolean tls, String cert, String key, String dir) {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(
                    cert == null
                            ? "--tls-key needs --tls-cert too: give the certificate and its private key together"
                            : "--tls-cert needs --tls-key too: give the certificate and its private key together");
        }
        if (Boolean.FALSE.equals(tls) && (cert != null || dir != null)) {
            throw new IllegalArgumentException(
                    "--no-tls contradicts " + (cert != null ? "--tls-cert" : "--tls-dir") + ": give one");
        }
        if (cert != null && dir != null) {
            throw new IllegalArgumentException(
                    "--tls-dir keeps a self-signed certificate, --tls-cert gives one: give one of them");
        }
        boolean on = tls != null ? tls : cert != null || !isLoopback(host);
        if (!on) {
            return TlsSettings.off();
        }
        return cert != null
                ? TlsSettings.files(Path.of(cert), Path.of(key))
                : TlsSettings.selfSigned(dir != null ? Path.of(dir) : DEFAULT_TLS_DIR);
    }

    private static String path(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " takes a file or directory, not an empty string");
        }
        return value;
    }

    /** What {@code ./workshop relay --help} prints. */
    static String usage() {
        RelayConfig d = RelayConfig.defaults();
        return String.join(
                "\n",
                "usage: ./workshop relay [options]",
                "",
                "Runs the callguide relay: rooms of two peers passing signalling messages over a WebSocket",
                "(ws://HOST:PORT/rooms/ROOM?peer=PEER) or HTTP long polling, and a STUN responder on UDP.",
                "GET /health answers {\"status\": \"ok\", \"rooms\": n, \"peers\": n}.",
                "",
                "  --host H                 address to listen on (default " + d.host() + ": this machine only;",
                "                           0.0.0.0 lets anyone who can reach this machine join a room)",
                "  --port P                 HTTP and WebSocket port; 0 picks a free one (default " + d.port() + ")",
                "  --stun-port P            STUN port on UDP; 0 picks a free one, -1 turns STUN off (default "
                        + d.stunPort() + ")",
                "  --no-websocket           serve long polling only (default: WebSocket and long polling)",
                "  --faults LIST            misbehave on purpose, to watch a call cope (default: none), any of",
                "                           early-candidates (each offer or answer held until the candidates sent",
                "                           after it were delivered), duplicate (every message twice), reorder",
                "                           (candidates shuffled), delay=MS (every message later), no-websocket",
                "                           (upgrades refused: clients fall back to long polling); relay/PROTOCOL.md",
                "",
                "TURN, for networks that block UDP between learners (GET /config hands clients fresh credentials):",
                "  --turn                   run coturn (Debian's package coturn) alongside the relay, at its host",
                "  --turn-port P            that coturn's port, UDP and TCP (default " + TurnSettings.DEFAULT_PORT
                        + ")",
                "  --turn-relay-ports A-B   UDP ports that coturn relays through, for a firewall (default "
                        + TurnSettings.DEFAULT_MIN_RELAY_PORT + "-" + TurnSettings.DEFAULT_MAX_RELAY_PORT + ")",
                "  --turn-url URL           a coturn run elsewhere with use-auth-secret, e.g. "
                        + "turn:turn.example.org:3478?transport=udp;",
                "                           repeat it or separate URLs with commas",
                "  --turn-secret S          that coturn's static-auth-secret",
                "  --turn-ttl S             how long the credentials stay valid, in seconds (default "
                        + secs(TurnSettings.DEFAULT_TTL) + ")",
                "  --relay-only             ask clients to use TURN only (\"iceTransportPolicy\": \"relay\")",
                "TLS (HTTPS and WSS on the same port; a browser on another machine needs it for its camera):",
                "  --tls                    serve TLS even on loopback (default: on beyond loopback, off on loopback)",
                "  --no-tls                 plain HTTP and WS even beyond loopback",
                "  --tls-dir DIR            where the self-signed certificate is kept, made on first start and reused",
                "                           after, so its fingerprint stays (default " + DEFAULT_TLS_DIR + ")",
                "  --tls-cert FILE          a real certificate instead: PEM, leaf first then any intermediates",
                "  --tls-key FILE           ... and its PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC; unencrypted)",
                "",
                "who may use it (relay/PROTOCOL.md):",
                "  --allow-origin O         a browser origin besides the relay's own whose pages may join rooms, "
                        + "such as",
                "                           https://tutor.example:8443; repeat it or separate with commas. Any "
                        + "other page's",
                "                           WebSocket upgrades and polling requests get 403; clients without "
                        + "Origin pass",
                "  --allow-host H           a name the relay answers to besides its addresses (and, bound to "
                        + "0.0.0.0, this",
                "                           machine's name); any other Host header gets 421, against DNS rebinding",
                "  --live-view M            the live view (/ and /api/rooms): open, secret (a key printed at "
                        + "start, given as",
                "                           ?key=) or off (default: open on loopback, secret beyond)",
                "  --live-view-addresses    show the addresses in candidates on the live view (default: redacted)",
                "  --rejoin-grace S         a peer that left other than by a clean close keeps its id this long, "
                        + "for a join",
                "                           with the rejoin secret its welcome carried (default "
                        + secs(d.access().rejoinGrace()) + ")",
                "",
                "limits:",
                "  --max-message-bytes N    largest message a peer may send (default " + d.maxMessageBytes() + ")",
                "  --rate-burst N           messages a peer may send at once (default " + d.rateBurst() + ")",
                "  --rate-per-second N      messages a second a peer may send after a burst (default "
                        + d.ratePerSecond() + ")",
                "  --max-rooms N            rooms open at once (default " + d.maxRooms() + ")",
                "  --max-poll-wait S        longest a long poll is held open, in seconds (default "
                        + secs(d.maxPollWait()) + ")",
                "  --poll-timeout S         a polling peer silent this long has left, in seconds (default "
                        + secs(d.pollingTimeout()) + ")",
                "  --ws-timeout S           a WebSocket peer from which nothing arrives this long, not even the answer",
                "                           to a ping, has left, in seconds (default " + secs(d.webSocketTimeout())
                        + ")",
                "  --max-queued-bytes N     JSON a WebSocket peer may leave unread before it is dropped "
                        + "(peer-left slow)",
                "                           (default " + d.caps().maxQueuedBytes() + ")",
                "  --mailbox-messages N     messages a polling peer may leave unacknowledged; one more and it is "
                        + "dropped,",
                "                           its sender told mailbox-full (default "
                        + d.caps().mailboxMessages() + ")",
                "  --mailbox-bytes N        ... and JSON it may leave unacknowledged (default "
                        + d.caps().mailboxBytes() + ")",
                "  --rooms-per-address N    rooms one client address may hold open (default "
                        + d.caps().roomsPerAddress() + ")",
                "  --peers-per-address N    peers one client address may have in rooms (default "
                        + d.caps().peersPerAddress() + ")",
                "  --connections-per-address N  TCP connections one client address may hold open; one more gets 503",
                "                           (default " + d.caps().connectionsPerAddress()
                        + "; raise these for a classroom behind one NAT address)",
                "  --max-connections N      TCP connections in all (default: four fifths of the file limit, at "
                        + "most 10000;",
                "                           here " + CappedConnector.connectionCap(0) + ")",
                "  a peer that keeps sending while rate-limited is disconnected (peer-left flood); "
                        + "relay/PROTOCOL.md has every code",
                "",
                "memory: ./workshop runs the relay with a heap of " + HEAP
                        + " (-Xmx in its RELAY_JVM); every queue is capped",
                "within it, a quarter of the heap at most in all (this JVM: "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB of heap)",
                "threads: " + Relay.workers() + " run requests here (" + Relay.WORKERS_PER_CORE + " a core, at least "
                        + Relay.MIN_WORKERS + "), beside Jetty's acceptor, selectors and a reserved thread a",
                "selector; a held poll takes none",
                "",
                "  --help                   this text",
                "");
    }

    private static boolean isKnown(String flag) {
        return usage().contains("  " + flag + " ");
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, not \"" + value + "\"");
        }
    }

    private static Duration seconds(String flag, String value) {
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds <= 86_400) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(flag + " takes a number of seconds above 0, not \"" + value + "\"");
    }

    private static int[] range(String flag, String value) {
        String[] parts = value.split("-");
        if (parts.length == 2) {
            try {
                int low = Integer.parseInt(parts[0].trim());
                int high = Integer.parseInt(parts[1].trim());
                if (low >= 1024 && low <= high && high <= 65535) {
                    return new int[] {low, high};
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(
                flag + " takes a range of ports within 1024-65535 such as 49152-49999, not \"" + value + "\"");
    }

    private static String hours(Duration d) {
        return d.toSeconds() % 3600 == 0
                ? d.toHours() + " h"
                : d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static String secs(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code --help}: not an error, but parsing stops there. */
    static final class HelpRequested extends IllegalArgumentException {
        HelpRequested() {
            super("help");
        }
    }
}
