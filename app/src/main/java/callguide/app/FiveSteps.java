package callguide.app;

import callguide.call.Trickle;
import callguide.step05.CandidateQueue;
import callguide.step05.TrickleIce;

/** The whole call from the five steps: step05's classes handed to {@link callguide.call.CallPeer}. */
public final class FiveSteps {

    /** step05's trickle ICE and candidate queue, as the call uses them. */
    public static final Trickle TRICKLE = new Trickle(
            (channel, profile, timeline) -> new TrickleIce(channel, profile, timeline)::onLocalCandidate,
            (peerConnection, timeline) -> queue(new CandidateQueue(peerConnection, timeline)),
            TrickleIce::isCallUp);

    private FiveSteps() {}

    private static Trickle.RemoteCandidates queue(CandidateQueue queue) {
        return new Trickle.RemoteCandidates(queue::handleRemoteCandidate, queue::processCandidates);
    }
}
