package callguide.step06;

import callguide.kit.ice.IceConfig;
import callguide.kit.ice.IceProfile;

/**
 * The guide's warning: "provide your own TURN server alongside STUN", for networks that "can mostly be
 * restrictive". A peer configured from the relay's {@code GET /config} to use relay candidates only.
 */
public final class RelayOnly {

    private RelayOnly() {}

    /** {@code /config}'s ICE servers (STUN and TURN, with TURN's credentials), relay candidates only. */
    public static IceProfile profile(IceConfig config) {
        // Task 1. Relay only with no TURN server gathers no candidate at all: say so now, not after a silent timeout.
        boolean turn = config.iceServers().stream()
                .flatMap(server -> server.urls().stream())
                .anyMatch(url -> url.startsWith("turn:") || url.startsWith("turns:"));
        if (!turn) {
            throw new IllegalStateException("relay only needs a TURN server, and /config names none: start the"
                    + " relay with --turn (or give it --turn-url)");
        }
        // Every server, STUN included: the TURN entries carry the credentials /config signed for this peer.
        return new IceProfile(config.iceServers(), config.loopback(), true);
    }
}
