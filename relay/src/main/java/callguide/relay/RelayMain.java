package callguide.relay;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./workshop relay}: runs one relay until the process is stopped. {@code --help} lists
 * every setting with its default.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        RelayConfig config;
        try {
            config = parse(args);
        } catch (HelpRequested help) {
            System.out.print(usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("relay: " + e.getMessage());
            System.err.println("relay: --help lists every option");
            System.exit(2);
            return;
        }
        Relay relay;
        try {
            relay = Relay.start(config);
        } catch (IllegalStateException e) {
            System.err.println("relay: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "relay-shutdown"));
        announce(relay, System.out);
        new CountDownLatch(1).await(); // serve until the process is stopped
    }

    static void announce(Relay relay, PrintStream out) {
        RelayConfig config = relay.config();
        out.println("relay listening on " + relay.url()
                + (config.webSocketEnabled() ? " (WebSocket + long polling)" : " (long polling only)")
                + (relay.stunPort() >= 0 ? ", STUN on udp " + config.host() + ":" + relay.stunPort() : ", STUN off"));
        if (!isLoopback(config.host())) {
            out.println("relay: bound to " + config.host() + ", so anyone who can reach this machine can join a room;"
                    + " run it on a network you trust, for the length of the workshop");
        }
        out.flush();
    }

    /** The settings {@code args} ask for, on top of {@link RelayConfig#defaults()}. */
    static RelayConfig parse(String... args) {
        RelayConfig config = RelayConfig.defaults();
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
                default -> throw new IllegalArgumentException("unknown option " + flag);
            };
        }
        return config;
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
