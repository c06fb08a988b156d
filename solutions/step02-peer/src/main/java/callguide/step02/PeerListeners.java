package callguide.step02;

import callguide.kit.media.Stream;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.media.MediaStreamTrack;

/**
 * The guide's {@code peerConnection.addEventListener(...)} calls, one method each. Every event
 * is recorded on the timeline, then handed on to {@link PeerEvents}. Runs on the peer's loop,
 * one callback at a time, so the fields need no locking.
 */
public final class PeerListeners implements PeerConnectionObserver {
    private final CallTimeline timeline;
    private final Stream remoteStream;
    private final PeerEvents events;
    private boolean offerStarted;

    public PeerListeners(CallTimeline timeline, Stream remoteStream, PeerEvents events) {
        this.timeline = timeline;
        this.remoteStream = remoteStream;
        this.events = events;
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
        timeline.record(EventKind.CONNECTION_STATE, state);
        events.connectionState(state);
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        timeline.record(EventKind.LOCAL_CANDIDATE, candidate.sdp);
        events.localCandidate(candidate);
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        timeline.record(
                EventKind.CANDIDATE_ERROR, event.getUrl() + " " + event.getErrorCode() + " " + event.getErrorText());
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
        timeline.record(EventKind.ICE_CONNECTION_STATE, state);
        events.iceConnectionState(state);
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        timeline.record(EventKind.ICE_GATHERING_STATE, state);
    }

    @Override
    public void onRenegotiationNeeded() {
        timeline.record(EventKind.NEGOTIATION_NEEDED, "fired");
        // Task 3. It fires once the tracks are added, and again when hang-up removes them: one offer for the call.
        if (!offerStarted) {
            offerStarted = true;
            events.startOffer();
        }
    }

    @Override
    public void onSignalingChange(RTCSignalingState state) {
        timeline.record(EventKind.SIGNALING_STATE, state);
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
        // remoteMediaStream = remoteMediaStream || new MediaStream(); remoteMediaStream.addTrack(event.track)
        MediaStreamTrack track = transceiver.getReceiver().getTrack();
        remoteStream.addTrack(track);
        timeline.record(EventKind.TRACK, track.getKind());
        events.remoteTrack(track);
    }
}
