package callguide.relay;

import java.util.List;
import java.util.Locale;

/**
 * Who may use the relay from a browser, and who may watch it.
 *
 * @param allowOrigins more browser origins ({@code https://host:port}) whose pages may join rooms,
 *                     besides the relay's own ({@code --allow-origin})
 * @param allowHosts   more names the relay answers to in a {@code Host} header, besides its own
 *                     addresses and names ({@code --allow-host})
 * @param liveView     the live view ({@code /} and {@code /api/rooms}): open, behind a secret, or off
 * @param liveViewAddresses true shows the addresses in candidates on the live view ({@code --live-view-addresses});
 *                     false (the default) shows them redacted
 * @param rejoinGrace  how long a peer id stays held for the peer that had it, after it left other than by a
 *                     clean close: only a join with its rejoin secret gets it back meanwhile ({@code --rejoin-grace})
 */
public record Access(
        List<String> allowOrigins,
        List<String> allowHosts,
        LiveView liveView,
        boolean liveViewAddresses,
        java.time.Duration rejoinGrace) {

    /** {@code --live-view}: {@code AUTO} is open on loopback and secret beyond. */
    public enum LiveView {
        AUTO,
        OPEN,
        SECRET,
        OFF;

        static LiveView parse(String value) {
            try {
                LiveView mode = valueOf(value.trim().toUpperCase(Locale.ROOT));
                if (mode != AUTO) {
                    return mode;
                }
            } catch (IllegalArgumentException e) {
                // refused below
            }
            throw new IllegalArgumentException("--live-view takes open, secret or off, not \"" + value + "\"");
        }
    }

    public Access {
        allowOrigins = allowOrigins.stream().map(Access::origin).toList();
        allowHosts =
                allowHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        if (rejoinGrace == null || rejoinGrace.isNegative()) {
            throw new IllegalArgumentException("the rejoin grace must be 0 or more, not " + rejoinGrace);
        }
        if (liveView == null) {
            throw new IllegalArgumentException("the live view mode must not be null (AUTO for the default)");
        }
    }

    public static Access defaults() {
        return new Access(List.of(), List.of(), LiveView.AUTO, false, java.time.Duration.ofSeconds(30));
    }

    public Access withAllowOrigins(List<String> origins) {
        return new Access(origins, allowHosts, liveView, liveViewAddresses, rejoinGrace);
    }

    public Access withAllowHosts(List<String> hosts) {
        return new Access(allowOrigins, hosts, liveView, liveViewAddresses, rejoinGrace);
    }

    public Access withLiveView(LiveView mode) {
        return new Access(allowOrigins, allowHosts, mode, liveViewAddresses, rejoinGrace);
    }

    public Access withLiveViewAddresses(boolean shown) {
        return new Access(allowOrigins, allowHosts, liveView, shown, rejoinGrace);
    }

    public Access withRejoinGrace(java.time.Duration grace) {
        return new Access(allowOrigins, allowHosts, liveView, liveViewAddresses, grace);
    }

    /** The live view mode in effect for a relay bound to {@code host}. */
    LiveView liveViewFor(String host) {
        if (liveView != LiveView.AUTO) {
            return liveView;
        }
        return isLoopback(host) ? LiveView.OPEN : LiveView.SECRET;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.");
    }

    /** {@code scheme://host[:port]}, lower case, no path: the form a browser's {@code Origin} header takes. */
    static String origin(String text) {
        String o = text.trim().toLowerCase(Locale.ROOT);
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        if (!o.matches("https?://[^/\\s]+")) {
            throw new IllegalArgumentException(
                    "--allow-origin takes an origin such as https://tutor.example:8443, not \"" + text + "\"");
        }
        return o;
    }
}
