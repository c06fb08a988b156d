package callguide.relay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * The names a relay's certificate must cover (its subject alternative names): 127.0.0.1, ::1,
 * localhost, the bound host and, when the relay binds every interface (0.0.0.0 or ::), each
 * interface's address and the machine's host name, since learners reach it by any of them.
 *
 * @param dnsNames  host names, lower case
 * @param addresses IP addresses, without any IPv6 scope
 */
record CertificateNames(Set<String> dnsNames, Set<InetAddress> addresses) {

    CertificateNames {
        dnsNames = Collections.unmodifiableSet(new LinkedHashSet<>(dnsNames));
        addresses = Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
    }

    /** The names for a relay bound to {@code host} on this machine. */
    static CertificateNames forHost(String host) {
        return isWildcard(host) ? forHost(host, interfaceAddresses(), hostName()) : forHost(host, List.of(), null);
    }

    /**
     * The names for a relay bound to {@code host}; {@code interfaces} and {@code hostName} count
     * only when {@code host} is a wildcard address.
     */
    static CertificateNames forHost(String host, List<InetAddress> interfaces, String hostName) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<InetAddress> ips = new LinkedHashSet<>(List.of(literal("127.0.0.1"), literal("::1")));
        if (isWildcard(host)) {
            interfaces.forEach(a -> ips.add(unscoped(a)));
            if (hostName != null && !hostName.isBlank() && !isLiteral(hostName)) {
                dns.add(hostName.toLowerCase(Locale.ROOT));
            }
        } else if (isLiteral(host)) {
            ips.add(literal(host));
        } else {
            dns.add(host.toLowerCase(Locale.ROOT));
        }
        return new CertificateNames(dns, ips);
    }

    /** The names {@code certificate} does not cover (empty: it covers them all). */
    List<String> missingFrom(X509Certificate certificate) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            for (List<?> name : names == null ? List.<List<?>>of() : names) {
                int type = (Integer) name.get(0);
                if (type == 2) {
                    dns.add(name.get(1).toString().toLowerCase(Locale.ROOT));
                } else if (type == 7 && isLiteral(name.get(1).toString())) {
                    ips.add(literal(name.get(1).toString()));
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension covers nothing
        }
        List<String> missing = new ArrayList<>();
        dnsNames.stream().filter(n -> !dns.contains(n)).forEach(missing::add);
        addresses.stream()
                .filter(a -> !ips.contains(a))
                .map(InetAddress::getHostAddress)
                .forEach(missing::add);
        return missing;
    }

    static boolean isWildcard(String host) {
        return isLiteral(host) && literal(host).isAnyLocalAddress();
    }

    /**
     * The addresses learners reach a relay bound to {@code host} by: the host itself, or for a
     * wildcard each interface's (IPv4 only for 0.0.0.0, which Java binds on IPv4 alone).
     */
    static List<String> reachableAt(String host) {
        if (!isWildcard(host)) {
            return List.of(host);
        }
        boolean ipv4Only = literal(host) instanceof Inet4Address;
        List<String> out = new ArrayList<>();
        for (InetAddress a : interfaceAddresses()) {
            if ((!ipv4Only || a instanceof Inet4Address) && !a.isLinkLocalAddress()) {
                out.add(a.getHostAddress());
            }
        }
        return out.isEmpty() ? List.of("127.0.0.1") : out;
    }

    /** Every non-loopback address of this machine's interfaces that are up. */
    static List<InetAddress> interfaceAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    Collections.list(nic.getInetAddresses()).stream()
                            .filter(a -> !a.isLoopbackAddress())
                            .map(CertificateNames::unscoped)
                            .forEach(out::add);
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback names only
        }
        return out;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static boolean isLiteral(String host) {
        return IPAddress.isValid(host);
    }

    /** An IP literal as an address (no DNS look-up: the text is an address already). */
    static InetAddress literal(String ip) {
        try {
            return unscoped(InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    private static InetAddress unscoped(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // an address's own bytes are always a valid length
        }
    }
}
