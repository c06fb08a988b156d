package callguide.step02;

import callguide.kit.Todo;
import callguide.kit.media.Stream;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSignalingState;

/**
 * The guide's {@code peerConnection.addEventListener(...)} calls, one method each. Every event
 * is recorded on the timeline, then handed on to {@link PeerEvents}. Runs on the peer's loop,
 * one callback at a time, so the fields need no locking.
 */
public final class PeerListeners implements PeerConnectionObserver {
    private final CallTimeline timeline;
    private final Stream remoteStream;
    private final PeerEvents events;

    public PeerListeners(CallTimeline timeline, Stream remoteStream, PeerEvents events) {
        this.timeline = timeline;
        this.remoteStream = remoteStream;
        this.events = events;
    }

    // TODO(step02): task 2. Each of the guide's listeners, here a method: leave a trace of the
    //  event on the timeline (the tests read it) and tell the later steps, which listen through
    //  PeerEvents. Which events do they need? A remote track also joins the remote stream.

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onRenegotiationNeeded() {
        // TODO(step02): task 3. The guide: negotiation-needed "can be called multiple times" (here:
        //  once the tracks are added, again when hang-up removes them). One call, one offer:
        //  what must this listener remember? Record every firing.
        throw Todo.task("step02", 3, "handle negotiation-needed: start the offer once however often it fires");
    }

    @Override
    public void onSignalingChange(RTCSignalingState state) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
        throw Todo.task("step02", 2, "record each peer connection event and hand it on");
    }
}
