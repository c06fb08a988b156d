package callguide.step02;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import callguide.kit.ice.IceProfile;
import callguide.kit.ice.IceServer;
import callguide.kit.ice.InvalidIceServerException;
import callguide.kit.ice.LoopbackNetwork;
import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.InMemorySignalling;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCRtpSender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@DisplayName("step02 the peer connection")
class PeerConnectionTest {
    private static final Duration CALL_TIME = Duration.ofSeconds(10);

    private TestPeer caller;
    private TestPeer callee;

    @AfterEach
    void closePeers() throws Exception {
        for (TestPeer peer : new TestPeer[] {caller, callee}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    /** Waits for {@code condition}, failing at once with any error a listener raised meanwhile. */
    private void awaitOnPeers(String what, Callable<Boolean> condition) {
        await(what).atMost(CALL_TIME).until(() -> {
            for (TestPeer peer : new TestPeer[] {caller, callee}) {
                if (peer != null) {
                    peer.loop.rethrowFailure();
                }
            }
            return condition.call();
        });
    }

    /** Two peers with their tracks, connected through an in-memory link (no relay yet in step02). */
    private void connectTwoPeers() throws Exception {
        caller = new TestPeer("caller", LoopbackNetwork.profile());
        callee = new TestPeer("callee", LoopbackNetwork.profile());
        caller.addTracks();
        callee.addTracks();
        new InMemorySignalling(caller.link, callee.link).negotiate();
        awaitOnPeers(
                "both peers' connection state CONNECTED",
                () -> caller.timeline.values(EventKind.CONNECTION_STATE).contains("CONNECTED")
                        && callee.timeline.values(EventKind.CONNECTION_STATE).contains("CONNECTED"));
    }

    @Nested
    @Tag("task:1")
    @DisplayName("task 1: the configuration")
    class TheConfiguration {

        @Test
        @DisplayName("carries the ICE servers: a STUN server and your own TURN server with its credentials")
        void carriesIceServers() {
            IceProfile profile = IceProfile.open(List.of(
                    IceServer.stun("stun:127.0.0.1:3478"),
                    IceServer.turn("turn:127.0.0.1:3478?transport=udp", "learner", "secret")));

            RTCConfiguration configuration = PeerConnections.configuration(profile);

            assertThat(configuration)
                    .as("PeerConnections.configuration(profile)")
                    .isNotNull();
            assertThat(configuration.iceServers).as("configuration.iceServers").hasSize(2);
            assertThat(configuration.iceServers.get(0).urls)
                    .as("the STUN server's urls")
                    .containsExactly("stun:127.0.0.1:3478");
            assertThat(configuration.iceServers.get(1).urls)
                    .as("the TURN server's urls")
                    .containsExactly("turn:127.0.0.1:3478?transport=udp");
            assertThat(configuration.iceServers.get(1).username)
                    .as("the TURN server's username")
                    .isEqualTo("learner");
            assertThat(configuration.iceServers.get(1).password)
                    .as("the TURN server's credential (password)")
                    .isEqualTo("secret");
        }

        @Test
        @DisplayName("takes the rest of the loopback profile: adapter enumeration off, so candidates come from STUN "
                + "on 127.0.0.1")
        void appliesTheProfile() {
            RTCConfiguration configuration = PeerConnections.configuration(IceProfile.loopback(3478));

            assertThat(configuration.portAllocatorConfig)
                    .as("portAllocatorConfig of the loopback profile")
                    .isNotNull();
            assertThat(configuration.portAllocatorConfig.isAdapterEnumerationDisabled())
                    .as("adapter enumeration disabled (did you call profile.applyTo(configuration)?)")
                    .isTrue();
        }

        @Test
        @DisplayName("refuses a malformed ICE server URL with a clear error, before native code sees it")
        void refusesMalformedUrl() {
            IceProfile profile = IceProfile.open(List.of(IceServer.stun("foo:bar")));

            assertThat(catchThrowable(() -> PeerConnections.configuration(profile)))
                    .as("'foo:bar' would crash the JVM in native code: IceServers.toRtc must refuse it first")
                    .isInstanceOf(InvalidIceServerException.class)
                    .hasMessageContaining("foo:bar");
        }

        @Test
        @DisplayName("refuses a TURN server without credentials with a clear error")
        void refusesTurnWithoutCredentials() {
            IceProfile profile = IceProfile.open(List.of(IceServer.stun("turn:127.0.0.1:3478")));

            assertThat(catchThrowable(() -> PeerConnections.configuration(profile)))
                    .as("a turn: URL without username and credential crashes native code")
                    .isInstanceOf(InvalidIceServerException.class)
                    .hasMessageContaining("username");
        }
    }

    @Nested
    @Tag("task:2")
    @DisplayName("task 2: the listeners")
    class TheListeners {

        @Test
        @DisplayName("record the signalling states of both sides: STABLE -> HAVE_LOCAL_OFFER -> STABLE and STABLE -> "
                + "HAVE_REMOTE_OFFER -> STABLE")
        void signallingStates() throws Exception {
            connectTwoPeers();

            assertThat(caller.timeline).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(callee.timeline).signalingStates().containsExactly("HAVE_REMOTE_OFFER", "STABLE");
        }

        @Test
        @DisplayName("record ICE gathering, ICE connection and connection states as the call comes up")
        void connectionStates() throws Exception {
            connectTwoPeers();
            awaitOnPeers(
                    "ICE connected or completed on both sides",
                    () -> caller.timeline.values(EventKind.ICE_CONNECTION_STATE).contains("CONNECTED")
                            && callee.timeline
                                    .values(EventKind.ICE_CONNECTION_STATE)
                                    .contains("CONNECTED"));

            for (TestPeer peer : new TestPeer[] {caller, callee}) {
                assertThat(peer.timeline).values(EventKind.ICE_GATHERING_STATE).startsWith("GATHERING");
                assertThat(peer.timeline).iceConnectionStates().startsWith("CHECKING", "CONNECTED");
                assertThat(peer.timeline).connectionStates().startsWith("CONNECTING", "CONNECTED");
            }
        }

        @Test
        @DisplayName("record each local candidate and hand it on as it is found")
        void localCandidates() throws Exception {
            connectTwoPeers();

            assertThat(caller.timeline)
                    .values(EventKind.LOCAL_CANDIDATE)
                    .as("the caller's icecandidate events")
                    .isNotEmpty();
            assertThat(caller.candidatesHandedOn.get())
                    .as("candidates handed on to PeerEvents.localCandidate")
                    .isEqualTo(caller.timeline.values(EventKind.LOCAL_CANDIDATE).size());
        }

        @Test
        @DisplayName("gather the remote tracks into the remote stream: one audio and one video")
        void remoteTracks() throws Exception {
            connectTwoPeers();

            for (TestPeer peer : new TestPeer[] {caller, callee}) {
                assertThat(peer.timeline).tracks().containsExactlyInAnyOrder("audio", "video");
                assertThat(peer.remoteStream.getAudioTracks())
                        .as("%s's remote stream: audio tracks", peer.timeline.side())
                        .hasSize(1);
                assertThat(peer.remoteStream.getVideoTracks())
                        .as("%s's remote stream: video tracks", peer.timeline.side())
                        .hasSize(1);
                assertThat(peer.remoteTracksHandedOn.get())
                        .as("remote tracks handed on to PeerEvents.remoteTrack")
                        .isEqualTo(2);
            }
        }

        @Test
        @DisplayName("record a candidate error when a TURN server cannot be reached")
        void candidateErrors() throws Exception {
            // Nothing listens on this TCP port on 127.0.0.1: the TURN allocation fails at once (error 701).
            int closedPort = freeTcpPort();
            String turn = "turn:127.0.0.1:" + closedPort + "?transport=tcp";
            caller = new TestPeer("caller", new IceProfile(List.of(IceServer.turn(turn, "learner", "secret")), true));
            caller.addTracks();

            // Gathering starts once a local description is set.
            caller.loop
                    .submit(() -> Descriptions.createOffer(caller.peerConnection, new RTCOfferOptions(), caller.loop)
                            .thenCompose(offer -> Descriptions.setLocal(caller.peerConnection, offer, caller.loop)))
                    .get(5, TimeUnit.SECONDS);

            awaitOnPeers(
                    "an icecandidateerror on the caller", () -> caller.timeline.count(EventKind.CANDIDATE_ERROR) > 0);
            assertThat(caller.timeline)
                    .values(EventKind.CANDIDATE_ERROR)
                    .first()
                    .asString()
                    .as("the recorded candidate error names the server's URL")
                    .contains(turn);
        }

        @Test
        @DisplayName("record the closed states when the connection is closed")
        void closedStates() throws Exception {
            connectTwoPeers();

            caller.closeConnection();

            awaitOnPeers(
                    "the caller's signalling state CLOSED",
                    () -> caller.timeline.values(EventKind.SIGNALING_STATE).contains("CLOSED"));
            assertThat(caller.timeline).signalingStates().endsWith("CLOSED");
            assertThat(caller.timeline).connectionStates().endsWith("CLOSED");
            assertThat(caller.timeline).iceConnectionStates().endsWith("CLOSED");
        }
    }

    @Nested
    @Tag("task:3")
    @DisplayName("task 3: the local tracks and negotiation")
    class TracksAndNegotiation {

        @Test
        @DisplayName("adding the local tracks gives a sender per track, each carrying that track")
        void sendersPerTrack() throws Exception {
            caller = new TestPeer("caller", LoopbackNetwork.profile(), true);

            List<RTCRtpSender> senders = caller.addTracksWithLearnersCode();

            assertThat(senders).as("senders returned by addLocalTracks").hasSize(2);
            assertThat(senders)
                    .extracting(sender -> sender.getTrack().getId())
                    .as("the tracks the senders carry")
                    .containsExactlyInAnyOrder(
                            caller.media.audioTrack().getId(),
                            caller.media.videoTrack().getId());
        }

        @Test
        @DisplayName("adding the tracks fires negotiation-needed, and exactly one offer is started")
        void oneOfferForTwoTracks() throws Exception {
            caller = new TestPeer("caller", LoopbackNetwork.profile(), true);

            caller.addTracks();

            awaitOnPeers("negotiation-needed recorded", () -> caller.timeline.count(EventKind.NEGOTIATION_NEEDED) > 0);
            caller.onLoop(() -> {}); // every callback queued so far has run
            assertThat(caller.offersStarted.get())
                    .as("offers started after adding two tracks")
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("negotiation-needed firing again and again still starts one offer")
        void oneOfferHoweverOften() throws Exception {
            caller = new TestPeer("caller", LoopbackNetwork.profile(), true);
            caller.addTracks();
            awaitOnPeers("negotiation-needed recorded", () -> caller.timeline.count(EventKind.NEGOTIATION_NEEDED) > 0);

            caller.onLoop(() -> {
                caller.listeners.onRenegotiationNeeded();
                caller.listeners.onRenegotiationNeeded();
                caller.listeners.onRenegotiationNeeded();
            });

            assertThat(caller.timeline.count(EventKind.NEGOTIATION_NEEDED))
                    .as("negotiation-needed events recorded")
                    .isGreaterThanOrEqualTo(4);
            assertThat(caller.offersStarted.get())
                    .as("offers started however often negotiation-needed fired")
                    .isEqualTo(1);
        }
    }

    private static int freeTcpPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
