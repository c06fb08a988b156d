package callguide.app;

import callguide.call.Trickle;
import callguide.kit.timeline.EventKind;
import callguide.step05.CandidateQueue;
import callguide.step05.TrickleIce;

/** The whole call from the five steps: step05's classes handed to {@link callguide.call.CallPeer}. */
public final class FiveSteps {

    /** step05's trickle ICE and candidate queue, as the call uses them. */
    public static final Trickle TRICKLE = new Trickle(
            (channel, profile, timeline) -> new TrickleIce(channel, profile, timeline)::onLocalCandidate,
            (peerConnection, timeline) -> queue(new CandidateQueue(peerConnection, timeline)),
            TrickleIce::isCallUp);

    /**
     * step05 without its queue: each remote candidate goes to {@code addIceCandidate} the moment it comes, remote
     * description or not. The anti-answer, for {@code ./workshop run 05 --without queue} and the test that holds it to
     * a real call.
     */
    public static final Trickle WITHOUT_QUEUE = new Trickle(
            TRICKLE.sender(),
            (peerConnection, timeline) -> new Trickle.RemoteCandidates(
                    message -> {
                        peerConnection.addIceCandidate(message.toRtc());
                        timeline.record(EventKind.CANDIDATE_APPLIED, message.candidate());
                    },
                    () -> {}),
            TRICKLE.isCallUp());

    private FiveSteps() {}

    private static Trickle.RemoteCandidates queue(CandidateQueue queue) {
        return new Trickle.RemoteCandidates(queue::handleRemoteCandidate, queue::processCandidates);
    }
}
