package callguide.kit.ice;

import dev.onvoid.webrtc.RTCIceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates ICE server entries before they reach native code. webrtc-java passes them to
 * libwebrtc unchecked, and a URL such as {@code foo:bar}, or a {@code turn:} URL without a
 * username and credential, kills the JVM with SIGSEGV. Here they are an exception that says why.
 *
 * <p>Accepted (RFC 7064, RFC 7065): {@code stun:host[:port]}, {@code stuns:host[:port]},
 * {@code turn:host[:port][?transport=udp|tcp]}, {@code turns:...}; host a name, an IPv4 address
 * or a bracketed IPv6 address; port 1 to 65535.
 */
public final class IceServers {

    private static final Pattern URL = Pattern.compile(
            "^(stuns?|turns?):" // scheme
                    + "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)" // host
                    + "(?::(\\d{1,5}))?(\\?transport=(udp|tcp))?$"); // port, transport

    private IceServers() {}

    /** The webrtc-java form of {@code server}, or an {@link InvalidIceServerException} saying what is wrong. */
    public static RTCIceServer toRtc(IceServer server) {
        if (server == null) {
            throw new InvalidIceServerException("an ICE server entry is null");
        }
        if (server.urls() == null || server.urls().isEmpty()) {
            throw new InvalidIceServerException("an ICE server needs at least one URL, such as stun:127.0.0.1:3478");
        }
        for (String url : server.urls()) {
            validate(url, server.username(), server.credential());
        }
        RTCIceServer rtc = new RTCIceServer();
        // The URLs as validated: trimmed. With a space before or after it, libwebrtc crashes
        // the JVM on a URL that is otherwise fine (seen: SIGSEGV for " stun:127.0.0.1:3478").
        rtc.urls = new ArrayList<>(server.urls().stream().map(String::trim).toList());
        rtc.username = server.username();
        rtc.password = server.credential();
        return rtc;
    }

    public static List<RTCIceServer> toRtc(List<IceServer> servers) {
        if (servers == null) {
            throw new InvalidIceServerException("the list of ICE servers is null (use an empty list for none)");
        }
        return servers.stream().map(IceServers::toRtc).toList();
    }

    static void validate(String url, String username, String credential) {
        if (url == null || url.isBlank()) {
            throw new InvalidIceServerException("an ICE server URL is empty");
        }
        Matcher m = URL.matcher(url.trim());
        if (!m.matches()) {
            throw new InvalidIceServerException("'" + url + "' is not an ICE server URL: expected "
                    + "stun:HOST[:PORT] or turn:HOST[:PORT][?transport=udp|tcp] (stuns:/turns: for TLS)");
        }
        String scheme = m.group(1);
        if (m.group(4) != null) {
            int port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                throw new InvalidIceServerException("'" + url + "': port " + port + " is outside 1-65535");
            }
        }
        if (scheme.startsWith("stun") && m.group(5) != null) {
            throw new InvalidIceServerException("'" + url + "': ?transport= is for turn: URLs only");
        }
        // An empty credential crashes native code as a missing one does (SIGSEGV, measured).
        if (scheme.startsWith("turn") && (isBlank(username) || credential == null || credential.isEmpty())) {
            throw new InvalidIceServerException("'" + url + "' is a TURN server: it needs a username and a credential");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
