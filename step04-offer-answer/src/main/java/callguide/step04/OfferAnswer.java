package callguide.step04;

import callguide.kit.Todo;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.signal.SignallingChannel;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.concurrent.CompletableFuture;

/**
 * The guide's offer and answer. Caller: createOffer, setLocalDescription, send. Callee:
 * setRemoteDescription, createAnswer, setLocalDescription, send back. Caller: setRemoteDescription.
 * Each step waits for the one before, as the guide's {@code await}s do.
 */
public final class OfferAnswer {
    private final RTCPeerConnection peerConnection;
    private final SignallingChannel channel;
    private final EventLoop loop;
    private final Runnable afterRemoteDescription;

    /**
     * {@code afterRemoteDescription} runs as soon as a remote description is set (step05 applies queued candidates
     * there).
     */
    public OfferAnswer(
            RTCPeerConnection peerConnection,
            SignallingChannel channel,
            EventLoop loop,
            Runnable afterRemoteDescription) {
        this.peerConnection = peerConnection;
        this.channel = channel;
        this.loop = loop;
        this.afterRemoteDescription = afterRemoteDescription;
    }

    /** Caller: {@code createOffer(sessionConstraints)}, {@code setLocalDescription}, send it. */
    public CompletableFuture<Void> makeOffer() {
        // TODO(step04): task 1. The guide's createOffer(sessionConstraints), setLocalDescription,
        //  send. Find out what OfferToReceiveAudio/Video became in Unified Plan (README), and how
        //  the kit's Descriptions lets each step await the one before.
        throw Todo.task("step04", 1, "create the offer, set it as local description and send it");
    }

    /** Callee: the offer as remote description, then {@code createAnswer}, {@code setLocalDescription}, send it. */
    public CompletableFuture<Void> answerOffer(SessionDescriptionMessage offer) {
        // TODO(step04): task 2. The guide's callee half: the offer becomes the remote description,
        //  then the answer is made, kept and sent back. What runs right after the remote
        //  description, and what does a malformed offer do to this side?
        throw Todo.task("step04", 2, "apply the offer, create the answer, set it and send it back");
    }

    /** Caller: the answer as remote description. */
    public CompletableFuture<Void> acceptAnswer(SessionDescriptionMessage answer) {
        // TODO(step04): task 3. The caller's last move: what does it do with the answer?
        throw Todo.task("step04", 3, "apply the answer as remote description");
    }
}
