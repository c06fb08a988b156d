package callguide.step02;

import callguide.kit.Todo;
import callguide.kit.ice.IceProfile;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import java.util.List;

/** The guide's {@code new RTCPeerConnection(peerConstraints)} and {@code addTrack} for each local track. */
public final class PeerConnections {

    private PeerConnections() {}

    /** The guide's {@code peerConstraints}: {@code { iceServers: [...] }}. */
    public static RTCConfiguration configuration(IceProfile profile) {
        // TODO(step02): task 1. A new RTCConfiguration whose iceServers are profile.iceServers(),
        //  each turned into an RTCIceServer by IceServers.toRtc (it refuses what would crash native
        //  code); then let the profile apply the rest of itself to the configuration.
        throw Todo.task("step02", 1, "build the RTCConfiguration with the ICE servers");
    }

    /** Creates the connection; every listener runs on the peer's own loop. */
    public static RTCPeerConnection create(
            RTCConfiguration configuration, PeerConnectionObserver listeners, EventLoop loop) {
        return WebRtcRuntime.factory().createPeerConnection(configuration, loop.observer(listeners));
    }

    /** {@code localMediaStream.getTracks().forEach(track => peerConnection.addTrack(track, localMediaStream))}. */
    public static List<RTCRtpSender> addLocalTracks(RTCPeerConnection peerConnection, Stream localStream) {
        // TODO(step02): task 3. Add every track of the local stream, naming the stream's id, and
        //  return the senders.
        throw Todo.task("step02", 3, "add the local tracks to the peer connection");
    }
}
