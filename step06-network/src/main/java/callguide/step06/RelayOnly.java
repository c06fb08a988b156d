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
        // TODO(step06): task 1. The guide's "provide your own TURN server alongside STUN", on a network
        //  that lets nothing direct through: relay candidates only. What can connect when /config names
        //  no TURN server, so what should this method do then? Which of /config's servers and settings
        //  does the profile keep?
        throw Todo.task("step06", 1, "configure the peer from /config for a relay-only call through TURN");
    }
}
