package callguide.kit.rtc;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;

/**
 * Closing a peer connection in the only order webrtc-java survives: every sender's track removed,
 * then {@code close()}; the local tracks and sources are disposed after that, by their owner.
 * After {@code close()} every call on the connection throws (a second {@code close()} included),
 * and disposing a track still attached throws too. Call it on the peer's loop, once.
 */
public final class HangUp {

    private HangUp() {}

    public static void close(RTCPeerConnection peerConnection) {
        for (RTCRtpSender sender : peerConnection.getSenders()) {
            peerConnection.removeTrack(sender);
        }
        peerConnection.close();
    }

    /** Whether {@code close()} was called on it: its state says CLOSED, or (as after close) asking throws. */
    public static boolean isClosed(RTCPeerConnection peerConnection) {
        try {
            return peerConnection.getConnectionState() == dev.onvoid.webrtc.RTCPeerConnectionState.CLOSED;
        } catch (RuntimeException closed) {
            return true;
        }
    }
}
