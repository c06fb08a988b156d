package callguide.relay;

import callguide.kit.ice.IceServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A TURN server that answers, as {@code GET /config} names it: the relay's own coturn (at the
 * host each client reached the relay by) or an external one (at its URLs' own hosts), and the
 * secret the relay signs each client's credentials with.
 *
 * @param urls   an external server's URLs; empty for the relay's own coturn
 * @param port   the relay's own coturn's port (UDP and TCP)
 * @param secret coturn's {@code static-auth-secret}
 * @param ttl    how long handed-out credentials stay valid
 */
record TurnServer(List<String> urls, int port, String secret, Duration ttl) {

    static TurnServer managed(int port, String secret, Duration ttl) {
        return new TurnServer(List.of(), port, secret, ttl);
    }

    static TurnServer external(List<String> urls, String secret, Duration ttl) {
        return new TurnServer(List.copyOf(urls), 0, secret, ttl);
    }

    boolean managed() {
        return urls.isEmpty();
    }

    /**
     * The entry of {@code iceServers} for a client that reached the relay at {@code urlHost}, with fresh credentials.
     */
    IceServer iceServer(String urlHost, Instant now) {
        TurnCredentials credentials = TurnCredentials.issue(secret, ttl, now);
        List<String> entryUrls = managed()
                ? List.of(
                        "turn:" + urlHost + ":" + port + "?transport=udp",
                        "turn:" + urlHost + ":" + port + "?transport=tcp")
                : urls;
        return new IceServer(entryUrls, credentials.username(), credentials.credential());
    }

    /** The secret stays out of logs and stack traces. */
    @Override
    public String toString() {
        return "TurnServer[" + (managed() ? "coturn port " + port : urls) + ", credentials valid " + ttl + "]";
    }
}
