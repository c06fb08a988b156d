package callguide.kit.signal.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client every connection to a relay goes through (WebSocket, long polling, {@code GET /config}).
 * One place, so that how a relay is trusted is decided once:
 * <ul>
 *   <li>{@code http://HOST:PORT}: plain HTTP and WS;</li>
 *   <li>{@code https://HOST:PORT#sha256=FP}: TLS trusting exactly the certificate whose SHA-256
 *       is {@code FP} (a relay's self-signed certificate, as {@code ./workshop relay} prints it),
 *       see {@link #pin};</li>
 *   <li>{@code https://HOST:PORT} without a pin: the JDK's default trust, for a real certificate.</li>
 * </ul>
 * There is no trust-everything client: a relay is trusted by a certificate authority or by its pin.
 */
public final class RelayHttp {

    /** How long connecting to a relay may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** What comes before a pin in a relay URI's fragment. */
    static final String PIN_PREFIX = "sha256=";

    private static final Pattern FINGERPRINT = Pattern.compile("(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{64}");

    /** For http, and for https by the JDK's default trust (its SSLContext is the default one). */
    private static final HttpClient PLAIN =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * One client per pin (upper-case hex, no colons): each HttpClient has its own selector
     * thread and connection pool, so connections to the same relay share one.
     */
    private static final Map<String, HttpClient> PINNED = new ConcurrentHashMap<>();

    private RelayHttp() {}

    /**
     * The client for {@code relay}: plain for {@code http:}, trusting exactly the pinned
     * certificate for {@code https:...#sha256=FP}, the JDK's default trust for {@code https:}
     * without a pin. Fails with an {@link IllegalArgumentException} for another scheme, a pin on
     * {@code http:}, or a fragment that is not a well-formed pin.
     */
    public static HttpClient client(URI relay) {
        String scheme = scheme(relay);
        Optional<String> pin = pinOf(relay);
        if (scheme.equals("http")) {
            if (pin.isPresent()) {
                throw new IllegalArgumentException("a pinned certificate needs an https relay, not " + base(relay));
            }
            return PLAIN;
        }
        return pin.map(p -> PINNED.computeIfAbsent(p, RelayHttp::pinnedClient)).orElse(PLAIN);
    }

    /**
     * {@code relay} with its certificate pinned: {@code https://HOST:PORT#sha256=AB:CD:...}.
     * {@code fingerprint} is the certificate's SHA-256, 64 hex digits with or without colons, in
     * any case (as {@code openssl x509 -noout -fingerprint -sha256} or the relay prints it).
     * An existing fragment is replaced.
     */
    public static URI pin(URI relay, String fingerprint) {
        String hex = normalize(fingerprint);
        if (!scheme(relay).equals("https")) {
            throw new IllegalArgumentException("only an https relay can be pinned, not " + base(relay));
        }
        String text = relay.toString();
        int fragment = text.indexOf('#');
        return URI.create((fragment >= 0 ? text.substring(0, fragment) : text) + "#" + PIN_PREFIX + colons(hex));
    }

    /** The pinned SHA-256 of {@code relay} (64 upper-case hex digits, no colons), if its fragment pins one. */
    public static Optional<String> pinOf(URI relay) {
        String fragment = relay.getFragment();
        if (fragment == null || fragment.isEmpty()) {
            return Optional.empty();
        }
        if (!fragment.toLowerCase(Locale.ROOT).startsWith(PIN_PREFIX)) {
            throw new IllegalArgumentException("the fragment of " + relay + " is not a certificate pin: write #"
                    + PIN_PREFIX + "FINGERPRINT (the SHA-256 the relay prints)");
        }
        return Optional.of(normalize(fragment.substring(PIN_PREFIX.length())));
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

    /** {@code AB:CD:...}: how fingerprints are shown, as openssl and the relay print them. */
    static String colons(String hex) {
        return HexFormat.ofDelimiter(":")
                .withUpperCase()
                .formatHex(HexFormat.of().parseHex(hex));
    }

    /** 64 upper-case hex digits, or an {@link IllegalArgumentException} saying what a fingerprint looks like. */
    static String normalize(String fingerprint) {
        String trimmed = fingerprint == null ? "" : fingerprint.trim();
        if (!FINGERPRINT.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(
                    "\"" + fingerprint + "\" is not a SHA-256 fingerprint: expected 64 hex digits,"
                            + " with or without colons (AB:CD:...), as the relay prints it");
        }
        return trimmed.replace(":", "").toUpperCase(Locale.ROOT);
    }

    private static String scheme(URI relay) {
        String scheme = relay.getScheme() == null ? "" : relay.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("a relay is reached by http:// or https://, not " + relay);
        }
        return scheme;
    }

    private static HttpClient pinnedClient(String pin) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new PinnedTrustManager(pin)}, null);
            // The WebSocket builder of this client uses the same SSLContext, so wss is pinned too.
            return HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .sslContext(tls)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for a pinned relay: " + e.getMessage(), e);
        }
    }
}
