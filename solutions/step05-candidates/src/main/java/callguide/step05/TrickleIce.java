package callguide.step05;

import callguide.kit.ice.IceProfile;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
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
        // Task 1. Sent at once, not collected until gathering completes: that is what makes it trickle.
        CandidateMessage message = CandidateMessage.from(candidate);
        if (!profile.shouldSignal(message)) {
            timeline.record(EventKind.CANDIDATE_FILTERED, candidate.sdp);
            return;
        }
        channel.send(MessageTypes.CANDIDATE, message);
        timeline.record(EventKind.CANDIDATE_SENT, candidate.sdp);
    }

    /** The guide's {@code iceconnectionstatechange}: {@code connected} or {@code completed} means the call is up. */
    public static boolean isCallUp(RTCIceConnectionState state) {
        // Task 4. COMPLETED follows CONNECTED when ICE has finished checking; either one carries media.
        return state == RTCIceConnectionState.CONNECTED || state == RTCIceConnectionState.COMPLETED;
    }
}
