package callguide.step02;

import callguide.kit.ice.IceProfile;
import callguide.kit.ice.IceServers;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.WebRtcRuntime;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import java.util.ArrayList;
import java.util.List;

/** The guide's {@code new RTCPeerConnection(peerConstraints)} and {@code addTrack} for each local track. */
public final class PeerConnections {

    private PeerConnections() {}

    /** The guide's {@code peerConstraints}: {@code { iceServers: [...] }}. */
    public static RTCConfiguration configuration(IceProfile profile) {
        // Task 1. IceServers.toRtc validates each entry first: native code crashes the JVM on a
        // malformed URL or a TURN server without credentials, so they must never reach it.
        RTCConfiguration configuration = new RTCConfiguration();
        configuration.iceServers = new ArrayList<>(IceServers.toRtc(profile.iceServers()));
        profile.applyTo(configuration);
        return configuration;
    }

    /** Creates the connection; every listener runs on the peer's own loop. */
    public static RTCPeerConnection create(
            RTCConfiguration configuration, PeerConnectionObserver listeners, EventLoop loop) {
        return WebRtcRuntime.factory().createPeerConnection(configuration, loop.observer(listeners));
    }

    /** {@code localMediaStream.getTracks().forEach(track => peerConnection.addTrack(track, localMediaStream))}. */
    public static List<RTCRtpSender> addLocalTracks(RTCPeerConnection peerConnection, Stream localStream) {
        // Task 3. Naming the stream id lets the other side group the tracks into one remote stream.
        List<RTCRtpSender> senders = new ArrayList<>();
        for (MediaStreamTrack track : localStream.getTracks()) {
            senders.add(peerConnection.addTrack(track, List.of(localStream.id())));
        }
        return senders;
    }
}
