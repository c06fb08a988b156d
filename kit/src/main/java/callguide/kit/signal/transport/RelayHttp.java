package callguide.kit.signal.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client every connection to a relay goes through (WebSocket, long polling, {@code GET /config}).
 * One place, so that how a relay is trusted is decided once.
 */
public final class RelayHttp {

    /** How long connecting to a relay may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    private RelayHttp() {
    }

    /** The client for {@code relay}. */
    public static HttpClient client(URI relay) {
        return PLAIN;
    }

    /** {@code relay} with the certificate whose SHA-256 is {@code fingerprint} pinned: {@code https://HOST:PORT#sha256=FP}. */
    public static URI pin(URI relay, String fingerprint) {
        String hex = fingerprint.replace(":", "").trim();
        if (!hex.matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("a certificate fingerprint is 64 hex digits (SHA-256, colons allowed), not " + fingerprint);
        }
        return URI.create(base(relay) + "#sha256=" + hex.toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code http://host:port} (or https) with any trailing slash, path, query or fragment left out. */
    public static String base(URI relay) {
        String text = relay.toString();
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
