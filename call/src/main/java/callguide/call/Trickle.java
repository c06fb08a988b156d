package callguide.call;

import callguide.kit.ice.IceProfile;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The guide's last stage, handed to a {@link CallPeer}: trickle ICE and the queue of early remote
 * candidates (step05's {@code TrickleIce} and {@code CandidateQueue}). A call stands on steps 01
 * to 04 directly; step05's classes come in through this because step05's own tests run whole
 * calls, and a module cannot depend on one that depends on it. The app wires in step05's classes
 * (a few lines); so do step05's tests.
 *
 * @param sender      step05's {@code new TrickleIce(channel, profile, timeline)::onLocalCandidate}
 * @param queue       step05's {@code new CandidateQueue(peerConnection, timeline)}, as {@link RemoteCandidates}
 * @param isCallUp    step05's {@code TrickleIce::isCallUp}
 */
public record Trickle(Sender sender, Queue queue, Predicate<RTCIceConnectionState> isCallUp) {

    /** Makes the local half for one peer. */
    @FunctionalInterface
    public interface Sender {
        Consumer<RTCIceCandidate> on(SignallingChannel channel, IceProfile profile, CallTimeline timeline);
    }

    /** Makes the queue of remote candidates for one connection. */
    @FunctionalInterface
    public interface Queue {
        RemoteCandidates on(RTCPeerConnection peerConnection, CallTimeline timeline);
    }

    /** The remote half: each candidate as it comes, and the held ones once the remote description is set. */
    public record RemoteCandidates(Consumer<CandidateMessage> handle, Runnable processAll) {}
}
