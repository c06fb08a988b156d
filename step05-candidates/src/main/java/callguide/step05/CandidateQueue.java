package callguide.step05;

import callguide.kit.Todo;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.timeline.CallTimeline;
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
        // TODO(step05): task 2. The guide's handleRemoteCandidate. A candidate can arrive before
        //  the description it belongs to, and libwebrtc drops it then, silently. How can you tell,
        //  and what do you do with it? Leave a trace either way (EventKind).
        throw Todo.task("step05", 2, "apply a remote candidate, or hold it until the remote description is set");
    }

    /** Right after the remote description is set: every held candidate, in the order they came. */
    public void processCandidates() {
        // TODO(step05): task 3. The guide's processCandidates: what happens to the held ones now,
        //  in what order, and what is left afterwards?
        throw Todo.task("step05", 3, "apply the held candidates once the remote description is set");
    }

    /** How many candidates are held. */
    public int size() {
        return remoteCandidates.size();
    }
}
