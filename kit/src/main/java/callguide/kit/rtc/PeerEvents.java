package callguide.kit.rtc;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.MediaStreamTrack;

/**
 * Where a peer's listeners hand their events on: the later steps plug in here (step04 starts the
 * offer, step05 sends candidates and knows when the call is up). Every method has a no-op
 * default; all are called on the peer's {@link EventLoop}.
 */
public interface PeerEvents {

    /** Negotiation is needed and no offer was started yet: start the offer here. Called once. */
    default void startOffer() {}

    /** A local ICE candidate was found. */
    default void localCandidate(RTCIceCandidate candidate) {}

    default void iceConnectionState(RTCIceConnectionState state) {}

    default void connectionState(RTCPeerConnectionState state) {}

    /** A remote track arrived (it is already in the remote stream). */
    default void remoteTrack(MediaStreamTrack track) {}
}
