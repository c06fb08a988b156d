package callguide.relay;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The client a connection comes from, as the caps per address count it: its IP address, as text. */
final class ClientAddress {
    private ClientAddress() {}

    static String of(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(remote);
    }

    static String of(String remoteAddr) {
        return remoteAddr == null
                ? "unknown"
                : remoteAddr.startsWith("[") ? remoteAddr.substring(1, remoteAddr.length() - 1) : remoteAddr;
    }
}
