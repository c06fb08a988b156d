package callguide.relay;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The relay's listening socket, with a cap on the TCP connections one client address may hold
 * open: one more is answered {@code 503} with the error {@code address-limit} (on plain HTTP; over
 * TLS it is closed, there being no TLS session to answer in) and closed at once, so that one
 * address's half-open requests cannot take the file descriptors that everyone else's requests
 * need. Counted per network connection (a WebSocket upgrade keeps its count). The cap on all
 * connections is Jetty's {@code NetworkConnectionLimit}, set by {@link #connectionCap}.
 */
final class CappedConnector extends ServerConnector {
    private static final int FILE_RESERVE = 256; // jars, sockets of STUN and coturn, the selector, logs

    private final int perAddress;
    private final boolean plain;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<EndPoint, String> addresses = new ConcurrentHashMap<>();

    CappedConnector(Server server, int perAddress, boolean plain, ConnectionFactory... factories) {
        super(server, factories);
        this.perAddress = perAddress;
        this.plain = plain;
        for (ConnectionFactory factory : factories) {
            if (factory instanceof HttpConnectionFactory http) {
                // No per-connection cache of header values: Jetty's (1,024 entries by default) costs about 50 KB on
                // every connection that sent an Authorization or User-Agent header, and a polling peer keeps two
                // connections open: 1,000 polling peers were 100 MB of it, and a relay of 128 MB ran out of heap.
                // Where one connection carries many peers' tokens (a proxy, the JDK's pooled client), every new
                // token filled the cache and cleared it, 14% of the relay's time. Parsing a header without it
                // costs a String.
                http.getHttpConfiguration().setHeaderCacheSize(0);
            }
        }
    }

    /**
     * The cap on all connections: {@code configured}, or for 0 four fifths of what the file limit leaves, at most
     * 10,000.
     */
    static int connectionCap(int configured) {
        if (configured > 0) {
            return configured;
        }
        long files = ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : 4096;
        return (int) Math.max(64, Math.min(10_000, (files - FILE_RESERVE) * 4 / 5));
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        String address = ClientAddress.of(endPoint.getRemoteSocketAddress());
        addresses.put(endPoint, address); // a closed socket no longer says whose it was
        int count = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (count > perAddress) {
            refused.incrementAndGet();
            refuse(endPoint, address);
        }
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        String address = addresses.remove(endPoint);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        super.onEndPointClosed(endPoint);
    }

    /** Open connections from {@code address} (for tests). */
    int openFrom(String address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : n.get();
    }

    /** Connections refused for their address's cap so far (for tests). */
    int refused() {
        return refused.get();
    }

    private void refuse(EndPoint endPoint, String address) {
        if (!plain) {
            endPoint.close();
            return;
        }
        String body = "{\"type\":\"error\",\"payload\":{\"code\":\"" + ProtocolCodes.ADDRESS_LIMIT + "\",\"message\":\""
                + address + " already holds " + perAddress + " connections to this relay: close some\"}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n";
        try {
            endPoint.write(
                    Callback.from(endPoint::close, failed -> endPoint.close()),
                    ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)),
                    ByteBuffer.wrap(bytes));
        } catch (RuntimeException writeRefused) {
            endPoint.close();
        }
    }
}
