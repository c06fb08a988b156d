package callguide.step06;

import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;

/**
 * A cut path: "network conditions won't always be great". When ICE loses the path (disconnected or failed) the
 * caller restarts ICE: a new offer with {@code iceRestart}, the same tracks, new ICE credentials, so both sides
 * gather and check again. Runs on the peer's loop only.
 */
public final class IceRestart {
    /** The {@code call} event recorded when the restart's offer is made. */
    public static final String RESTARTING = "ice restart: a new offer with iceRestart";

    private final RTCPeerConnection peerConnection;
    private final SignallingChannel channel;
    private final EventLoop loop;
    private final CallTimeline timeline;
    private final boolean caller;
    private boolean restarted;

    public IceRestart(
            RTCPeerConnection peerConnection,
            SignallingChannel channel,
            EventLoop loop,
            CallTimeline timeline,
            boolean caller) {
        this.peerConnection = peerConnection;
        this.channel = channel;
        this.loop = loop;
        this.timeline = timeline;
        this.caller = caller;
    }

    /** The guide's {@code iceconnectionstatechange}, once more. */
    public void onIceConnectionState(RTCIceConnectionState state) {
        // Task 2. One side offers, or both would (glare); once, or a path that stays cut restarts for ever.
        if (!caller || restarted) {
            return;
        }
        if (state != RTCIceConnectionState.DISCONNECTED && state != RTCIceConnectionState.FAILED) {
            return;
        }
        restarted = true;
        timeline.record(EventKind.CALL, RESTARTING);
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = true; // new ufrag and password: both sides gather and check pairs again
        options.voiceActivityDetection = true; // as step04's offer: nothing else about the call changes
        // No addTrack: the transceivers and their tracks stay; only the transport is renegotiated.
        Descriptions.createOffer(peerConnection, options, loop)
                .thenCompose(offer ->
                        Descriptions.setLocal(peerConnection, offer, loop).thenApply(set -> offer))
                .thenAccept(offer -> channel.send(MessageTypes.OFFER, SessionDescriptionMessage.from(offer)))
                .exceptionally(error -> {
                    timeline.record(EventKind.ERROR, "ice restart failed: " + error.getMessage());
                    return null;
                });
    }
}
