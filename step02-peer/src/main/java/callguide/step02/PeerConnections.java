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
        // TODO(step02): task 1. The guide's peerConstraints: the profile's ICE servers, in the form
        //  webrtc-java takes. Find out what a bad server URL does to native code (README), what
        //  the kit gives you against it, and what else the profile has to set.
        throw Todo.task("step02", 1, "build the RTCConfiguration with the ICE servers");
    }

    /** Creates the connection; every listener runs on the peer's own loop. */
    public static RTCPeerConnection create(
            RTCConfiguration configuration, PeerConnectionObserver listeners, EventLoop loop) {
        return WebRtcRuntime.factory().createPeerConnection(configuration, loop.observer(listeners));
    }

    /** {@code localMediaStream.getTracks().forEach(track => peerConnection.addTrack(track, localMediaStream))}. */
    public static List<RTCRtpSender> addLocalTracks(RTCPeerConnection peerConnection, Stream localStream) {
        // TODO(step02): task 3. Every local track goes to the connection, so that the other side
        //  receives it in one remote stream. What does the other side need to group them?
        throw Todo.task("step02", 3, "add the local tracks to the peer connection");
    }
}
