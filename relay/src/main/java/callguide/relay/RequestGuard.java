package callguide.relay;

import callguide.kit.signal.ErrorCodes;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which requests the relay serves at all: only those addressed to one of its own names (the
 * {@code Host} header, against DNS rebinding: a page on {@code attacker.example} whose name now
 * resolves to the relay still sends {@code Host: attacker.example}), and, from a browser, only
 * those sent by the relay's own pages (the {@code Origin} header, against any other page the
 * learner opens). Clients that send no {@code Origin} (the Java peer, scripts) are not browsers'
 * pages and pass that check.
 *
 * <p>The relay's names: bound to a specific address, that address ({@code localhost} too for a
 * loopback one, and the name itself when bound by name); bound to every interface (0.0.0.0 or
 * ::), every interface address, the loopback addresses, {@code localhost} and the machine's host
 * name, as {@link CertificateNames} lists them; plus {@code --allow-host}. The relay's own origin
 * is the scheme, host and port the request came in on; plus {@code --allow-origin}.
 */
final class RequestGuard {
    private final Set<String> names = new LinkedHashSet<>();
    private final Set<InetAddress> addresses = new LinkedHashSet<>();
    private final Set<String> origins;

    /** For a relay bound to {@code host} on this machine. */
    static RequestGuard forRelay(String host, Access access) {
        return CertificateNames.isWildcard(host)
                ? new RequestGuard(host, CertificateNames.interfaceAddresses(), localHostName(), access)
                : new RequestGuard(host, List.of(), null, access);
    }

    /**
     * {@code interfaces} and {@code hostName} count only when {@code host} is a wildcard address (tests give their
     * own).
     */
    RequestGuard(String host, List<InetAddress> interfaces, String hostName, Access access) {
        if (CertificateNames.isWildcard(host)) {
            CertificateNames all = CertificateNames.forHost(host, interfaces, hostName);
            names.addAll(all.dnsNames());
            addresses.addAll(all.addresses());
        } else if (CertificateNames.isLiteral(host)) {
            InetAddress bound = CertificateNames.literal(host);
            addresses.add(bound);
            if (bound.isLoopbackAddress()) {
                names.add("localhost");
            }
        } else {
            names.add(host.toLowerCase(Locale.ROOT));
        }
        for (String extra : access.allowHosts()) {
            if (CertificateNames.isLiteral(unbracket(extra))) {
                addresses.add(CertificateNames.literal(unbracket(extra)));
            } else {
                names.add(extra);
            }
        }
        this.origins = Set.copyOf(access.allowOrigins());
    }

    /** {@link #check(String, String, String)} of a request as Jetty's core layer hands it over. */
    void check(org.eclipse.jetty.server.Request request) {
        check(
                request.isSecure() ? "https" : "http",
                request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.HOST),
                request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.ORIGIN));
    }

    /**
     * Refuses a request the relay should not serve: a {@code Host} not its own (421, {@code forbidden}),
     * or a browser {@code Origin} not its own (403, {@code forbidden}). {@code scheme} is {@code http}
     * or {@code https}, as the request came in.
     */
    void check(String scheme, String hostHeader, String origin) {
        if (hostHeader != null && !hostAllowed(hostHeader)) {
            throw new Refusal(
                    ErrorCodes.FORBIDDEN,
                    "this relay does not answer to the name " + shorten(hostHeader)
                            + " (reach it by one of its addresses, or start it with --allow-host NAME)",
                    421);
        }
        if (origin != null && !originAllowed(scheme, hostHeader, origin)) {
            throw new Refusal(
                    ErrorCodes.FORBIDDEN,
                    "pages from " + shorten(origin) + " may not use this relay: only its own pages"
                            + " (or an origin it was started with --allow-origin for)");
        }
    }

    /** True for one of the relay's names or addresses, with any port. */
    boolean hostAllowed(String hostHeader) {
        String host = hostOf(hostHeader);
        if (host.isEmpty()) {
            return false;
        }
        if (CertificateNames.isLiteral(host)) {
            return addresses.contains(CertificateNames.literal(host));
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return names.contains(name);
    }

    /**
     * True when {@code origin} is this request's own {@code scheme://host:port}, or one allowed by {@code
     * --allow-origin}.
     */
    boolean originAllowed(String scheme, String hostHeader, String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (origins.contains(withoutDefaultPort(o))) {
            return true;
        }
        return hostHeader != null
                && withoutDefaultPort(o)
                        .equals(withoutDefaultPort(scheme.toLowerCase(Locale.ROOT) + "://"
                                + hostHeader.trim().toLowerCase(Locale.ROOT)));
    }

    /** The host of a {@code Host} header, lower case, without port or IPv6 brackets. */
    static String hostOf(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            return h.substring(0, colon);
        }
        return h; // a bare IPv6 address (no port), or a name without a port
    }

    private static String withoutDefaultPort(String origin) {
        if (origin.startsWith("http://") && origin.endsWith(":80")) {
            return origin.substring(0, origin.length() - 3);
        }
        if (origin.startsWith("https://") && origin.endsWith(":443")) {
            return origin.substring(0, origin.length() - 4);
        }
        return origin;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
