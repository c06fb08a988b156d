package callguide.step05;

import callguide.kit.Todo;
import callguide.kit.ice.IceProfile;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;

/** Trickle ICE, the local half: each candidate is sent the moment it is found; and when the call is up. */
public final class TrickleIce {
    private final SignallingChannel channel;
    private final IceProfile profile;
    private final CallTimeline timeline;

    public TrickleIce(SignallingChannel channel, IceProfile profile, CallTimeline timeline) {
        this.channel = channel;
        this.profile = profile;
        this.timeline = timeline;
    }

    /** The guide's {@code icecandidate} listener: send {@code event.candidate} to the other peer. */
    public void onLocalCandidate(RTCIceCandidate candidate) {
        // TODO(step05): task 1. Trickle: the candidate goes to the other side the moment it is
        //  found, in the browser's shape, unless the profile keeps it here. Leave a trace either way.
        throw Todo.task("step05", 1, "send each local candidate the moment it is found");
    }

    /** The guide's {@code iceconnectionstatechange}: {@code connected} or {@code completed} means the call is up. */
    public static boolean isCallUp(RTCIceConnectionState state) {
        // TODO(step05): task 4. Which ICE connection states mean media can flow?
        throw Todo.task("step05", 4, "tell when the call is up from the ICE connection state");
    }
}
