package callguide.relay;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./workshop relay}: runs one relay until the process is stopped. {@code --help} lists
 * every setting with its default.
 */
public final class RelayMain {

    /** Where a self-signed certificate is kept unless {@code --tls-dir} says otherwise (relative to the working directory: the project root for {@code ./workshop}). */
    static final Path DEFAULT_TLS_DIR = Path.of(".workshop", "tls");

    private RelayMain() {
    }

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
    record Launch(Relay relay, int exitCode) {
    }

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
                + (config.webSocketEnabled() ? " (WebSocket + long polling)" : " (long polling only)")
                + (relay.stunPort() >= 0 ? ", STUN on udp " + config.host() + ":" + relay.stunPort() : ", STUN off"));
        if (relay.fingerprint() != null) {
            announceTls(relay, out);
        }
        if (!isLoopback(config.host())) {
            out.println("relay: bound to " + config.host() + ", so anyone who can reach this machine can join a room;"
                    + " run it on a network you trust, for the length of the workshop");
        }
        out.flush();
    }

    /** The certificate, and how learners' browsers and Java peers reach the relay with it. */
    private static void announceTls(Relay relay, PrintStream out) {
        String fingerprint = relay.fingerprint();
        List<String> bases = CertificateNames.reachableAt(relay.config().host()).stream()
                .map(a -> "https://" + (a.contains(":") ? "[" + a + "]" : a) + ":" + relay.port())
                .toList();
        out.println("  certificate: " + relay.certificateOrigin());
        out.println("  certificate SHA-256 fingerprint: " + fingerprint);
        out.println("  SPKI SHA-256, base64 (for Chromium's --ignore-certificate-errors-spki-list): " + relay.spkiHash());
        out.println("  learners open, on their laptop (the browser warns about the certificate once; its fingerprint is above):");
        bases.forEach(b -> out.println("    " + b + "/call.html?room=ROOM&peer=NAME&role=caller"));
        out.println("  a Java peer joins with:");
        bases.forEach(b -> out.println("    ./workshop peer --relay " + b + " --fingerprint " + fingerprint
                + " --room ROOM --peer NAME --role caller|callee"));
    }

    /** The settings {@code args} ask for, on top of {@link RelayConfig#defaults()}. */
    static RelayConfig parse(String... args) {
        RelayConfig config = RelayConfig.defaults();
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
            if (flag.equals("--no-websocket")) {
                config = config.withWebSocketEnabled(false);
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
                    throw new IllegalArgumentException(flag.startsWith("--") && isKnown(flag)
                            ? flag + " needs a value" : "unknown option " + flag);
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
        return config.withTls(tls(config.host(), tls, tlsCert, tlsKey, tlsDir));
    }

    /** On beyond loopback unless --no-tls, off on loopback unless --tls; a given certificate if --tls-cert and --tls-key, else a self-signed one. */
    private static TlsSettings tls(String host, Boolean tls, String cert, String key, String dir) {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null
                    ? "--tls-key needs --tls-cert too: give the certificate and its private key together"
                    : "--tls-cert needs --tls-key too: give the certificate and its private key together");
        }
        if (Boolean.FALSE.equals(tls) && (cert != null || dir != null)) {
            throw new IllegalArgumentException("--no-tls contradicts " + (cert != null ? "--tls-cert" : "--tls-dir") + ": give one");
        }
        if (cert != null && dir != null) {
            throw new IllegalArgumentException("--tls-dir keeps a self-signed certificate, --tls-cert gives one: give one of them");
        }
        boolean on = tls != null ? tls : cert != null || !isLoopback(host);
        if (!on) {
            return TlsSettings.off();
        }
        return cert != null ? TlsSettings.files(Path.of(cert), Path.of(key))
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
        return String.join("\n",
                "usage: ./workshop relay [options]",
                "",
                "Runs the callguide relay: rooms of two peers passing signalling messages over a WebSocket",
                "(ws://HOST:PORT/rooms/ROOM?peer=PEER) or HTTP long polling, and a STUN responder on UDP.",
                "GET /health answers {\"status\": \"ok\", \"rooms\": n, \"peers\": n}.",
                "",
                "  --host H                 address to listen on (default " + d.host() + ": this machine only;",
                "                           0.0.0.0 lets anyone who can reach this machine join a room)",
                "  --port P                 HTTP and WebSocket port; 0 picks a free one (default " + d.port() + ")",
                "  --stun-port P            STUN port on UDP; 0 picks a free one, -1 turns STUN off (default " + d.stunPort() + ")",
                "  --no-websocket           serve long polling only (default: WebSocket and long polling)",
                "",
                "TLS (HTTPS and WSS on the same port; a browser on another machine needs it for its camera):",
                "  --tls                    serve TLS even on loopback (default: on beyond loopback, off on loopback)",
                "  --no-tls                 plain HTTP and WS even beyond loopback",
                "  --tls-dir DIR            where the self-signed certificate is kept, made on first start and reused",
                "                           after, so its fingerprint stays (default " + DEFAULT_TLS_DIR + ")",
                "  --tls-cert FILE          a real certificate instead: PEM, leaf first then any intermediates",
                "  --tls-key FILE           ... and its PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC; unencrypted)",
                "",
                "limits:",
                "  --max-message-bytes N    largest message a peer may send (default " + d.maxMessageBytes() + ")",
                "  --rate-burst N           messages a peer may send at once (default " + d.rateBurst() + ")",
                "  --rate-per-second N      messages a second a peer may send after a burst (default " + d.ratePerSecond() + ")",
                "  --max-rooms N            rooms open at once (default " + d.maxRooms() + ")",
                "  --max-poll-wait S        longest a long poll is held open, in seconds (default " + secs(d.maxPollWait()) + ")",
                "  --poll-timeout S         a polling peer silent this long has left, in seconds (default " + secs(d.pollingTimeout()) + ")",
                "  --ws-timeout S           a WebSocket peer from which nothing arrives this long, not even the answer",
                "                           to a ping, has left, in seconds (default " + secs(d.webSocketTimeout()) + ")",
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
