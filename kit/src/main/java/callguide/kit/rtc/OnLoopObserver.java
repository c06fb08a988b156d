package callguide.kit.rtc;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.media.MediaStream;

/**
 * Moves every observer callback from webrtc-java's native signalling thread onto a peer's
 * {@link EventLoop}. Besides thread confinement this queues negotiation-needed the way browsers
 * do: it fires inside the first {@code addTrack}, and an offer created right there carried only
 * one of the two tracks.
 */
final class OnLoopObserver implements PeerConnectionObserver {
    private final EventLoop loop;
    private final PeerConnectionObserver target;

    OnLoopObserver(EventLoop loop, PeerConnectionObserver target) {
        this.loop = loop;
        this.target = target;
    }

    @Override
    public void onSignalingChange(RTCSignalingState state) {
        loop.execute(() -> target.onSignalingChange(state));
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
        loop.execute(() -> target.onConnectionChange(state));
    }

    @Override
    public void onIceConnectionChange(RTCIceConnectionState state) {
        loop.execute(() -> target.onIceConnectionChange(state));
    }

    @Override
    public void onStandardizedIceConnectionChange(RTCIceConnectionState state) {
        loop.execute(() -> target.onStandardizedIceConnectionChange(state));
    }

    @Override
    public void onIceConnectionReceivingChange(boolean receiving) {
        loop.execute(() -> target.onIceConnectionReceivingChange(receiving));
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        loop.execute(() -> target.onIceGatheringChange(state));
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        loop.execute(() -> target.onIceCandidate(candidate));
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        loop.execute(() -> target.onIceCandidateError(event));
    }

    @Override
    public void onIceCandidatesRemoved(RTCIceCandidate[] candidates) {
        loop.execute(() -> target.onIceCandidatesRemoved(candidates));
    }

    @Override
    public void onAddStream(MediaStream stream) {
        loop.execute(() -> target.onAddStream(stream));
    }

    @Override
    public void onRemoveStream(MediaStream stream) {
        loop.execute(() -> target.onRemoveStream(stream));
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        loop.execute(() -> target.onDataChannel(channel));
    }

    @Override
    public void onRenegotiationNeeded() {
        loop.execute(target::onRenegotiationNeeded);
    }

    @Override
    public void onAddTrack(RTCRtpReceiver receiver, MediaStream[] streams) {
        loop.execute(() -> target.onAddTrack(receiver, streams));
    }

    @Override
    public void onRemoveTrack(RTCRtpReceiver receiver) {
        loop.execute(() -> target.onRemoveTrack(receiver));
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
        loop.execute(() -> target.onTrack(transceiver));
    }
}
