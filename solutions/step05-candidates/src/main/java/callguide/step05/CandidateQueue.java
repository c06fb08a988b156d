package callguide.step05;

import callguide.kit.signal.CandidateMessage;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The guide's {@code remoteCandidates}, {@code handleRemoteCandidate} and {@code processCandidates}.
 * Runs on the peer's loop only, so checking for the remote description and queueing cannot race.
 */
public final class CandidateQueue {
    private final RTCPeerConnection peerConnection;
    private final CallTimeline timeline;
    private final List<RTCIceCandidate> remoteCandidates = new ArrayList<>();

    public CandidateQueue(RTCPeerConnection peerConnection, CallTimeline timeline) {
        this.peerConnection = peerConnection;
        this.timeline = timeline;
    }

    /** A candidate from the other peer: applied now, or held until the remote description is set. */
    public void handleRemoteCandidate(CandidateMessage message) {
        // Task 2. toRtc() refuses a malformed message with a clear error before native code sees it.
        RTCIceCandidate candidate = message.toRtc();
        if (peerConnection.getRemoteDescription() == null) {
            // addIceCandidate now would drop it silently: libwebrtc has no media section to add it to.
            remoteCandidates.add(candidate);
            timeline.record(EventKind.CANDIDATE_QUEUED, candidate.sdp);
            return;
        }
        apply(candidate);
    }

    /** Right after the remote description is set: every held candidate, in the order they came. */
    public void processCandidates() {
        // Task 3.
        for (RTCIceCandidate candidate : remoteCandidates) {
            apply(candidate);
        }
        remoteCandidates.clear();
    }

    /** How many candidates are held. */
    public int size() {
        return remoteCandidates.size();
    }

    private void apply(RTCIceCandidate candidate) {
        peerConnection.addIceCandidate(candidate);
        timeline.record(EventKind.CANDIDATE_APPLIED, candidate.sdp);
    }
}
