package callguide.relay;

import callguide.kit.ice.IceServer;
import callguide.kit.ice.IceServers;
import callguide.kit.ice.InvalidIceServerException;
import java.time.Duration;
import java.util.List;

/**
 * The TURN server {@code GET /config} names, for networks that block UDP between learners.
 * {@link #off()}: none. {@link #managed(int)}: the relay runs Debian's {@code coturn} itself
 * ({@link Coturn}) at its own host. {@link #external(List, String)}: a coturn run elsewhere
 * with {@code use-auth-secret}, whose shared secret the relay signs credentials with.
 * Either way clients get TURN REST credentials ({@link TurnCredentials}) valid for {@code ttl}.
 *
 * @param mode          none, managed or external
 * @param port          the managed coturn's port, UDP and TCP; 0 picks a free one (tests)
 * @param urls          an external server's {@code turn:} URLs, as clients get them; empty otherwise
 * @param secret        an external server's {@code static-auth-secret}; null otherwise (a managed
 *                      coturn gets a fresh random one each start)
 * @param relayOnly     {@code /config} asks clients for {@code "iceTransportPolicy": "relay"}
 * @param ttl           how long the credentials {@code /config} hands out stay valid
 * @param minRelayPort  the lowest UDP port a managed coturn relays through
 * @param maxRelayPort  the highest
 */
public record TurnSettings(
        Mode mode,
        int port,
        List<String> urls,
        String secret,
        boolean relayOnly,
        Duration ttl,
        int minRelayPort,
        int maxRelayPort) {

    public enum Mode {
        NONE,
        MANAGED,
        EXTERNAL
    }

    /** Not the relay's own STUN port (3478): both listen on UDP at the same host. */
    public static final int DEFAULT_PORT = 3479;

    public static final Duration DEFAULT_TTL = Duration.ofHours(12);
    /** RFC 5766's range: what a firewall in front of a managed coturn must let through on UDP. */
    public static final int DEFAULT_MIN_RELAY_PORT = 49152;

    public static final int DEFAULT_MAX_RELAY_PORT = 65535;

    public TurnSettings {
        require(mode != null, "the TURN mode must not be null");
        require(port >= 0 && port <= 65535, "the TURN port must be 0 to 65535, not " + port);
        urls = urls == null ? List.of() : List.copyOf(urls);
        require(
                ttl != null && ttl.toSeconds() >= 1,
                "the TURN credential lifetime must be at least 1 second, not " + ttl);
        require(
                minRelayPort >= 1024 && minRelayPort <= maxRelayPort && maxRelayPort <= 65535,
                "the TURN relay ports must be a range within 1024-65535, not " + minRelayPort + "-" + maxRelayPort);
        if (mode == Mode.EXTERNAL) {
            require(!urls.isEmpty(), "an external TURN server needs at least one turn: URL (--turn-url)");
            require(
                    secret != null && !secret.isEmpty(),
                    "an external TURN server needs its static-auth-secret (--turn-secret), and it must not be empty");
            urls.forEach(TurnSettings::validateUrl);
        }
        require(
                !relayOnly || mode != Mode.NONE,
                "relay-only needs a TURN server (--turn, or --turn-url with --turn-secret)");
    }

    public static TurnSettings off() {
        return new TurnSettings(
                Mode.NONE,
                DEFAULT_PORT,
                List.of(),
                null,
                false,
                DEFAULT_TTL,
                DEFAULT_MIN_RELAY_PORT,
                DEFAULT_MAX_RELAY_PORT);
    }

    /** The relay runs coturn on {@code port}, UDP and TCP. */
    public static TurnSettings managed(int port) {
        return new TurnSettings(
                Mode.MANAGED,
                port,
                List.of(),
                null,
                false,
                DEFAULT_TTL,
                DEFAULT_MIN_RELAY_PORT,
                DEFAULT_MAX_RELAY_PORT);
    }

    /** A coturn run elsewhere with {@code use-auth-secret} and {@code static-auth-secret=secret}. */
    public static TurnSettings external(List<String> urls, String secret) {
        return new TurnSettings(
                Mode.EXTERNAL,
                DEFAULT_PORT,
                urls,
                secret,
                false,
                DEFAULT_TTL,
                DEFAULT_MIN_RELAY_PORT,
                DEFAULT_MAX_RELAY_PORT);
    }

    public boolean enabled() {
        return mode != Mode.NONE;
    }

    public TurnSettings withRelayOnly(boolean relayOnly) {
        return new TurnSettings(mode, port, urls, secret, relayOnly, ttl, minRelayPort, maxRelayPort);
    }

    public TurnSettings withTtl(Duration ttl) {
        return new TurnSettings(mode, port, urls, secret, relayOnly, ttl, minRelayPort, maxRelayPort);
    }

    public TurnSettings withRelayPorts(int minRelayPort, int maxRelayPort) {
        return new TurnSettings(mode, port, urls, secret, relayOnly, ttl, minRelayPort, maxRelayPort);
    }

    /** The secret never shows in logs or stack traces. */
    @Override
    public String toString() {
        return "TurnSettings[" + mode + (mode == Mode.MANAGED ? " port " + port : "")
                + (mode == Mode.EXTERNAL ? " " + urls : "") + (relayOnly ? ", relay only" : "") + ", credentials valid "
                + ttl + "]";
    }

    /** Native code crashes the JVM on a bad ICE server: refuse one here, with the reason, before any client gets it. */
    private static void validateUrl(String url) {
        require(
                url != null && (url.trim().startsWith("turn:") || url.trim().startsWith("turns:")),
                "--turn-url takes a turn: or turns: URL such as turn:turn.example.org:3478?transport=udp, not \"" + url
                        + "\"");
        try {
            IceServers.toRtc(new IceServer(List.of(url), "0:check", "check"));
        } catch (InvalidIceServerException e) {
            throw new IllegalArgumentException("--turn-url: " + e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
