package callguide.kit.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.ice.IceProfile;
import callguide.kit.ice.IceServers;
import callguide.kit.ice.StunResponder;
import callguide.kit.media.Devices;
import callguide.kit.media.FrameCounter;
import callguide.kit.media.LocalMedia;
import callguide.kit.media.MediaConstraints.FacingMode;
import callguide.kit.media.MediaConstraints.VideoConstraints;
import callguide.kit.media.Stream;
import callguide.kit.media.SyntheticCamera;
import callguide.kit.media.SyntheticMicrophone;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two real peer connections from the kit's factory, in one JVM, every packet on 127.0.0.1:
 * the loopback ICE profile with a STUN responder of its own, synthetic camera and microphone,
 * and the kit's in-memory exchange of descriptions and candidates. All webrtc callbacks are
 * moved onto each peer's {@link EventLoop}; the test thread only waits, with bounds.
 */
@DisplayName("A real call in one JVM")
class LoopbackCallTest {

    private static final Duration UP = Duration.ofSeconds(10);

    private static StunResponder stun;

    @BeforeAll
    static void startStun() throws Exception {
        stun = StunResponder.start(InetAddress.getByName(IceProfile.LOOPBACK_ADDRESS), 0);
    }

    @AfterAll
    static void stopStun() {
        if (stun != null) {
            stun.close();
        }
    }

    @Test
    @DisplayName("connects two peers over 127.0.0.1 with the loopback profile, exchanging only 127.0.0.1 candidates, "
            + "and carries video both ways")
    void connectsOverLoopback() throws Exception {
        IceProfile profile = IceProfile.loopback(stun.port());
        try (Peer caller = new Peer("caller", profile);
                Peer callee = new Peer("callee", profile)) {
            InMemorySignalling signalling = new InMemorySignalling(caller.link, callee.link);

            assertThat(signalling.negotiate())
                    .as("offer and answer set on both sides")
                    .succeedsWithin(UP);

            for (Peer peer : List.of(caller, callee)) {
                assertThat(peer.timeline.when(EventKind.ICE_CONNECTION_STATE, "CONNECTED", "COMPLETED"))
                        .as(
                                "%s's ICE connection state reaches CONNECTED or COMPLETED; timeline:%n%s",
                                peer.name, peer.timeline)
                        .succeedsWithin(UP);
                assertThat(peer.timeline.when(EventKind.CONNECTION_STATE, "CONNECTED"))
                        .as("%s's connection state reaches CONNECTED; timeline:%n%s", peer.name, peer.timeline)
                        .succeedsWithin(UP);
            }

            // Stats are asynchronous: asked from the test thread, never from a webrtc callback.
            for (Peer peer : List.of(caller, callee)) {
                Peer other = peer == caller ? callee : caller;
                Stats.SelectedPair pair = await().atMost(UP)
                        .pollInterval(Duration.ofMillis(50))
                        .until(
                                () -> Stats.selectedPair(
                                        Stats.report(peer.peerConnection).get(5, TimeUnit.SECONDS)),
                                Optional::isPresent)
                        .orElseThrow();
                assertThat(pair.local().address())
                        .as("%s's selected pair %s: the local end is on 127.0.0.1", peer.name, pair)
                        .isEqualTo("127.0.0.1");
                assertThat(pair.local().type())
                        .as("%s's selected pair %s: the local end is reflexive, not host", peer.name, pair)
                        .isIn("srflx", "prflx");
                RTCStatsReport report = Stats.report(peer.peerConnection).get(5, TimeUnit.SECONDS);
                List<String> remoteAddresses = report.getStats().values().stream()
                        .filter(s -> s.getType() == RTCStatsType.REMOTE_CANDIDATE)
                        .map(s -> s.getAttributes()
                                .getOrDefault("address", s.getAttributes().get("ip")))
                        .filter(Objects::nonNull)
                        .map(String::valueOf)
                        .toList();
                assertThat(remoteAddresses)
                        .as("%s's known remote candidate addresses (prflx ones hidden, none if all are)", peer.name)
                        .allSatisfy(address -> assertThat(address)
                                .as("a remote candidate's address")
                                .isEqualTo("127.0.0.1"));
                peer.selected = pair;
                assertThat(other.timeline.values(EventKind.CANDIDATE_SENT))
                        .as("candidates %s signalled", other.name)
                        .allSatisfy(line -> assertThat(new CandidateMessage(line, "0", 0, null).address())
                                .as("the address of signalled candidate %s", line)
                                .isEqualTo("127.0.0.1"));
            }

            String callerRemote = Stats.resolveRemote(
                    caller.selected.remote().toString(), callee.selected.local().toString());
            String calleeRemote = Stats.resolveRemote(
                    callee.selected.remote().toString(), caller.selected.local().toString());
            assertThat(callerRemote)
                    .as(
                            "the caller's selected remote end, named from the callee's local end %s",
                            callee.selected.local())
                    .contains(" 127.0.0.1:");
            assertThat(calleeRemote)
                    .as(
                            "the callee's selected remote end, named from the caller's local end %s",
                            caller.selected.local())
                    .contains(" 127.0.0.1:");

            assertThat(caller.timeline.count(EventKind.CANDIDATE_SENT)
                            + callee.timeline.count(EventKind.CANDIDATE_SENT))
                    .as("candidates signalled by both sides together (the answerer may gather none)")
                    .isPositive();
            assertThat(caller.timeline.values(EventKind.CANDIDATE_FILTERED))
                    .as("candidates the caller kept to itself")
                    .allSatisfy(line -> assertThat(new CandidateMessage(line, "0", 0, null).address())
                            .as("a filtered candidate's address")
                            .isNotEqualTo("127.0.0.1"));
            assertThat(stun.requestsAnswered())
                    .as("Binding requests the STUN responder on 127.0.0.1 answered")
                    .isPositive();

            for (Peer peer : List.of(caller, callee)) {
                assertThat(peer.frames.firstFrame())
                        .as("%s receives a first remote video frame", peer.name)
                        .succeedsWithin(UP);
                assertThat(peer.timeline.values(EventKind.TRACK))
                        .as("%s's remote tracks", peer.name)
                        .containsExactlyInAnyOrder("video", "audio");
                assertThat(peer.loop.failures())
                        .as("errors raised on %s's loop", peer.name)
                        .isEmpty();
            }
            assertThat(caller.timeline.values(EventKind.SIGNALING_STATE))
                    .as("caller's signalling states")
                    .containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(callee.timeline.values(EventKind.SIGNALING_STATE))
                    .as("callee's signalling states")
                    .containsExactly("HAVE_REMOTE_OFFER", "STABLE");
            assertThat(caller.timeline.events())
                    .extracting(e -> e.kind() + " " + e.value())
                    .as("the caller's timeline: STABLE before CONNECTED")
                    .containsSubsequence(
                            EventKind.SIGNALING_STATE + " STABLE", EventKind.CONNECTION_STATE + " CONNECTED");
        }
    }

    /** One side: its loop, timeline, synthetic media, connection and in-memory link. */
    private static final class Peer implements PeerConnectionObserver, AutoCloseable {
        final String name;
        final IceProfile profile;
        final EventLoop loop;
        final CallTimeline timeline;
        final LocalMedia media;
        final RTCPeerConnection peerConnection;
        final InMemorySignalling.Side link;
        final FrameCounter frames = new FrameCounter();
        final List<VideoTrack> remoteVideo = new CopyOnWriteArrayList<>();
        volatile Stats.SelectedPair selected;

        Peer(String name, IceProfile profile) throws Exception {
            this.name = name;
            this.profile = profile;
            this.loop = new EventLoop(name);
            this.timeline = new CallTimeline(name);
            PeerConnectionFactory factory = WebRtcRuntime.factory();
            this.media = syntheticMedia(factory);

            RTCConfiguration configuration = new RTCConfiguration();
            configuration.iceServers = new ArrayList<>(IceServers.toRtc(profile.iceServers()));
            profile.applyTo(configuration);
            this.peerConnection = loop.submit(() -> factory.createPeerConnection(configuration, loop.observer(this)))
                    .get(5, TimeUnit.SECONDS);
            assertThat(peerConnection).as("%s's peer connection", name).isNotNull();
            this.link = new InMemorySignalling.Side(peerConnection, loop, profile);
            // Tracks added on the peer's loop, before any offer: the offer then carries both.
            loop.run(() -> media.stream()
                            .getTracks()
                            .forEach(track -> peerConnection.addTrack(
                                    track, List.of(media.stream().id()))))
                    .get(5, TimeUnit.SECONDS);
        }

        private static LocalMedia syntheticMedia(PeerConnectionFactory factory) {
            Stream stream = new Stream();
            SyntheticMicrophone microphone =
                    (SyntheticMicrophone) Devices.synthetic().openMicrophone();
            var camera =
                    new SyntheticCamera("test camera", FacingMode.USER).open(new VideoConstraints(30, FacingMode.USER));
            AudioTrack audio = factory.createAudioTrack("audio-" + stream.id(), microphone.source());
            VideoTrack video = factory.createVideoTrack("video-" + stream.id(), camera.source());
            stream.addTrack(audio);
            stream.addTrack(video);
            return new LocalMedia(stream, audio, video, microphone, camera);
        }

        // Every callback below runs on this peer's loop (EventLoop.observer moved it there).

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            timeline.record(EventKind.LOCAL_CANDIDATE, candidate.sdp);
            timeline.record(
                    profile.shouldSignal(candidate) ? EventKind.CANDIDATE_SENT : EventKind.CANDIDATE_FILTERED,
                    candidate.sdp);
            link.localCandidate(candidate);
        }

        @Override
        public void onSignalingChange(RTCSignalingState state) {
            timeline.record(EventKind.SIGNALING_STATE, state);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            timeline.record(EventKind.CONNECTION_STATE, state);
        }

        @Override
        public void onIceConnectionChange(RTCIceConnectionState state) {
            timeline.record(EventKind.ICE_CONNECTION_STATE, state);
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            timeline.record(EventKind.ICE_GATHERING_STATE, state);
        }

        @Override
        public void onRenegotiationNeeded() {
            timeline.record(EventKind.NEGOTIATION_NEEDED, "");
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            timeline.record(EventKind.TRACK, track.getKind());
            if (track instanceof VideoTrack video) {
                video.addSink(frames);
                remoteVideo.add(video);
            }
        }

        /** The clean order: remove sinks and senders, close the connection, then stop and dispose the media. */
        @Override
        public void close() throws Exception {
            try {
                loop.run(() -> {
                            remoteVideo.forEach(video -> video.removeSink(frames));
                            for (RTCRtpSender sender : peerConnection.getSenders()) {
                                peerConnection.removeTrack(sender);
                            }
                            peerConnection.close();
                            media.close();
                        })
                        .get(5, TimeUnit.SECONDS);
            } finally {
                loop.close();
            }
        }
    }
}
