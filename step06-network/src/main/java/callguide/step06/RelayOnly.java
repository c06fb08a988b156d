package callguide.step06;

import callguide.kit.Todo;
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
        // TODO(step06): task 1. No TURN server among config.iceServers()? Refuse with an IllegalStateException
        //  that says so and names TURN (relay only needs a TURN server: nothing could connect). Otherwise all of
        // config's servers, its loopback
        //  setting, and relay only: new IceProfile(servers, loopback, relayOnly).
        throw Todo.task("step06", 1, "configure the peer from /config for a relay-only call through TURN");
    }
}
