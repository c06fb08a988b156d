package callguide.step02;

import callguide.kit.ice.IceProfile;
import callguide.kit.media.Devices;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints;
import callguide.kit.media.Stream;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.HangUp;
import callguide.kit.rtc.InMemorySignalling;
import callguide.kit.rtc.PeerEvents;
import callguide.kit.timeline.CallTimeline;
import callguide.step01.UserMedia;
import callguide.testkit.LoopbackConfiguration;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSignalingState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One peer as step02 builds it: local media from step01, the learner's listeners, and what the
 * listeners hand on counted. Candidates go to an in-memory link, since signalling comes only in
 * step03.
 *
 * <p>So that each task is graded on its own, the configuration and the tracks are set up here
 * (task 1 and task 3 have tests of their own), and negotiation-needed reaches the learner's
 * listener only when a test asks for it (task 3).
 */
final class TestPeer implements AutoCloseable {
    final EventLoop loop;
    final CallTimeline timeline;
    final Stream remoteStream = new Stream("remote");
    final AtomicInteger offersStarted = new AtomicInteger();
    final AtomicInteger candidatesHandedOn = new AtomicInteger();
    final AtomicInteger remoteTracksHandedOn = new AtomicInteger();
    final LocalMedia media;
    final PeerListeners listeners;
    final RTCPeerConnection peerConnection;
    final InMemorySignalling.Side link;
    private boolean closed;

    TestPeer(String name, IceProfile profile) {
        this(name, profile, false);
    }

    TestPeer(String name, IceProfile profile, boolean withNegotiationNeeded) {
        loop = new EventLoop(name);
        timeline = new CallTimeline(name);
        media = UserMedia.getUserMedia(Devices.synthetic(), MediaConstraints.guide(), false);
        InMemorySignalling.Side[] self = new InMemorySignalling.Side[1];
        listeners = new PeerListeners(timeline, remoteStream, new PeerEvents() {
            @Override
            public void startOffer() {
                offersStarted.incrementAndGet();
            }

            @Override
            public void localCandidate(RTCIceCandidate candidate) {
                candidatesHandedOn.incrementAndGet();
                self[0].localCandidate(candidate);
            }

            @Override
            public void remoteTrack(dev.onvoid.webrtc.media.MediaStreamTrack track) {
                remoteTracksHandedOn.incrementAndGet();
            }
        });
        PeerConnectionObserver observer = withNegotiationNeeded ? listeners : new WithoutNegotiationNeeded(listeners);
        // The configuration is task 1's: made here by the test kit, so tasks 2 and 3 are graded on their own.
        peerConnection = PeerConnections.create(LoopbackConfiguration.create(profile.iceServers()), observer, loop);
        link = new InMemorySignalling.Side(peerConnection, loop, profile);
        self[0] = link;
    }

    /** Adds the local tracks on the peer's loop, by the test's own code. */
    void addTracks() throws Exception {
        loop.run(() -> media.stream()
                        .getTracks()
                        .forEach(track -> peerConnection.addTrack(
                                track, List.of(media.stream().id()))))
                .get(5, TimeUnit.SECONDS);
    }

    /** Adds the local tracks on the peer's loop with the learner's PeerConnections.addLocalTracks (task 3). */
    List<RTCRtpSender> addTracksWithLearnersCode() throws Exception {
        return loop.submit(() -> PeerConnections.addLocalTracks(peerConnection, media.stream()))
                .get(5, TimeUnit.SECONDS);
    }

    /** The learner's listeners, but for negotiation-needed, which is task 3's. */
    private static final class WithoutNegotiationNeeded implements PeerConnectionObserver {
        private final PeerConnectionObserver listeners;

        WithoutNegotiationNeeded(PeerConnectionObserver listeners) {
            this.listeners = listeners;
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            listeners.onConnectionChange(state);
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            listeners.onIceCandidate(candidate);
        }

        @Override
        public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
            listeners.onIceCandidateError(event);
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            listeners.onIceConnectionChange(state);
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            listeners.onIceGatheringChange(state);
        }

        @Override
        public void onSignalingChange(RTCSignalingState state) {
            listeners.onSignalingChange(state);
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            listeners.onTrack(transceiver);
        }
    }

    /** Runs {@code task} on the peer's loop and waits for it. */
    void onLoop(Runnable task) throws Exception {
        loop.run(task).get(5, TimeUnit.SECONDS);
    }

    void closeConnection() throws Exception {
        closed = true; // every call on a closed connection throws, a second close() included
        onLoop(() -> HangUp.close(peerConnection));
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            closeConnection();
        }
        media.close();
        loop.close();
    }
}
