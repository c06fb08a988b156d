package callguide.step04;

import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.signal.SignallingChannel;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSessionDescription;
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
        // Task 1. The guide's OfferToReceiveAudio/Video are Plan B options; in Unified Plan receiving
        // is the transceivers' direction, so every one of them must be able to receive.
        for (RTCRtpTransceiver transceiver : peerConnection.getTransceivers()) {
            if (transceiver.getDirection() == RTCRtpTransceiverDirection.SEND_ONLY) {
                transceiver.setDirection(RTCRtpTransceiverDirection.SEND_RECV);
            }
        }
        RTCOfferOptions options = new RTCOfferOptions();
        options.voiceActivityDetection = true;
        return Descriptions.createOffer(peerConnection, options, loop)
                .thenCompose(offer -> Descriptions.setLocal(peerConnection, offer, loop)
                        .thenCompose(set -> channel.send(MessageTypes.OFFER, SessionDescriptionMessage.from(offer))));
    }

    /** Callee: the offer as remote description, then {@code createAnswer}, {@code setLocalDescription}, send it. */
    public CompletableFuture<Void> answerOffer(SessionDescriptionMessage offer) {
        // Task 2. A malformed offer fails this future and leaves the connection in STABLE.
        return remote(offer)
                .thenCompose(set -> {
                    RTCAnswerOptions options = new RTCAnswerOptions();
                    options.voiceActivityDetection = true;
                    return Descriptions.createAnswer(peerConnection, options, loop);
                })
                .thenCompose(answer -> Descriptions.setLocal(peerConnection, answer, loop)
                        .thenCompose(set -> channel.send(MessageTypes.ANSWER, SessionDescriptionMessage.from(answer))));
    }

    /** Caller: the answer as remote description. */
    public CompletableFuture<Void> acceptAnswer(SessionDescriptionMessage answer) {
        // Task 3.
        return remote(answer);
    }

    private CompletableFuture<Void> remote(SessionDescriptionMessage message) {
        RTCSessionDescription description;
        try {
            description = message.toRtc();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Candidates that came early are applied right after, never before (they would be dropped).
        return Descriptions.setRemote(peerConnection, description, loop).thenRun(afterRemoteDescription);
    }
}
