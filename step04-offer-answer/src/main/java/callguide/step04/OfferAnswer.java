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
        // TODO(step04): task 1. Every transceiver must be able to receive (SEND_ONLY -> SEND_RECV);
        //  RTCOfferOptions with voiceActivityDetection; Descriptions.createOffer, then setLocal,
        //  then send the offer as a SessionDescriptionMessage.
        throw Todo.task("step04", 1, "create the offer, set it as local description and send it");
    }

    /** Callee: the offer as remote description, then {@code createAnswer}, {@code setLocalDescription}, send it. */
    public CompletableFuture<Void> answerOffer(SessionDescriptionMessage offer) {
        // TODO(step04): task 2. setRemote(offer), then afterRemoteDescription, createAnswer,
        //  setLocal, send the answer. A malformed offer must give a failed future, not a throw.
        throw Todo.task("step04", 2, "apply the offer, create the answer, set it and send it back");
    }

    /** Caller: the answer as remote description. */
    public CompletableFuture<Void> acceptAnswer(SessionDescriptionMessage answer) {
        // TODO(step04): task 3. setRemote(answer), then afterRemoteDescription.
        throw Todo.task("step04", 3, "apply the answer as remote description");
    }
}
