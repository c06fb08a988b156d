package callguide.step05;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.call.CallPeer;
import callguide.call.CallReport;
import callguide.call.Role;
import callguide.call.Trickle;
import callguide.kit.ice.IceProfile;
import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.Stats;
import callguide.kit.signal.CandidateMessage;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.step01.UserMedia;
import callguide.testkit.RelayExtension;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("step05 trickle ICE")
class TrickleIceTest {
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun();

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    /** A srflx candidate on 127.0.0.1, as the loopback profile gathers them. */
    private static final String LOOPBACK_CANDIDATE =
            "candidate:1 1 udp 1686052607 127.0.0.1 50000 typ srflx raddr 0.0.0.0 rport 50000 generation 0";
    /** This step's classes, as the whole call uses them. */
    private static final Trickle LEARNERS = new Trickle(
            (channel, profile, timeline) -> new TrickleIce(channel, profile, timeline)::onLocalCandidate,
            (peerConnection, timeline) -> queue(new CandidateQueue(peerConnection, timeline)),
            TrickleIce::isCallUp);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static Trickle.RemoteCandidates queue(CandidateQueue queue) {
        return new Trickle.RemoteCandidates(queue::handleRemoteCandidate, queue::processCandidates);
    }

    private static IceProfile profile() {
        return IceProfile.loopback(RELAY.stunPort());
    }

    private static String newRoom() {
        return "step05-" + ROOMS.incrementAndGet();
    }

    /** Both sides' reports and the peers themselves, still connected. */
    private record Call(CallPeer caller, CallPeer callee, CallReport callerReport, CallReport calleeReport) {}

    /** A whole call through the relay, built from all five steps. */
    private Call call(Function<CallTimeline, UnaryOperator<RelayClient>> callerOutgoing) throws Exception {
        String room = newRoom();
        URI uri = RELAY.uri();
        CallPeer callee = new CallPeer(CallPeer.Options.of(Role.CALLEE, uri, room, "callee", profile(), LEARNERS)
                .withTimeout(WAIT));
        toClose.add(callee);
        CompletableFuture<CallReport> calleeReport = callee.start();
        CallTimeline callerTimeline = new CallTimeline("caller");
        CallPeer.Options callerOptions = CallPeer.Options.of(Role.CALLER, uri, room, "caller", profile(), LEARNERS)
                .withTimeout(WAIT);
        CallPeer caller =
                new CallPeer(callerOptions.withOutgoing(callerOutgoing.apply(callerTimeline)), callerTimeline);
        toClose.add(caller);
        CallReport callerResult = caller.start().get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        CallReport calleeResult = calleeReport.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertThat(callerResult.failure())
                .as("why the caller's call did not come up; its timeline:%n%s", caller.timeline())
                .isNull();
        assertThat(calleeResult.failure())
                .as("why the callee's call did not come up; its timeline:%n%s", callee.timeline())
                .isNull();
        // A side's remote end may be peer-reflexive, its address hidden by stats: the other side names it.
        return new Call(caller, callee, callerResult.resolvedBy(calleeResult), calleeResult.resolvedBy(callerResult));
    }

    private Call call() throws Exception {
        return call(timeline -> UnaryOperator.identity());
    }

    /** A bare peer connection with an audio and a video section to receive, for the queue's own tests. */
    private RTCPeerConnection bareConnection(EventLoop loop) {
        RTCConfiguration configuration = new RTCConfiguration();
        profile().applyTo(configuration);
        RTCPeerConnection pc = callguide.kit.rtc.WebRtcRuntime.factory()
                .createPeerConnection(configuration, new PeerConnectionObserver() {
                    @Override
                    public void onIceCandidate(RTCIceCandidate candidate) {}
                });
        toClose.add(() -> loop.run(pc::close).get(5, TimeUnit.SECONDS));
        return pc;
    }

    /** An offer from another connection, to set as {@code pc}'s remote description. */
    private RTCSessionDescription remoteOffer(EventLoop loop) throws Exception {
        var media = UserMedia.getUserMedia(
                callguide.kit.media.Devices.synthetic(), callguide.kit.media.MediaConstraints.guide(), false);
        toClose.add(media);
        RTCPeerConnection other = bareConnection(loop);
        loop.run(() -> media.stream().getTracks().forEach(t -> other.addTrack(t, List.of("s"))))
                .get(5, TimeUnit.SECONDS);
        RTCSessionDescription offer =
                Descriptions.createOffer(other, new RTCOfferOptions(), loop).get(5, TimeUnit.SECONDS);
        // The senders hold the tracks natively: let go of them, or disposing the media fails.
        loop.run(() -> java.util.Arrays.stream(other.getSenders()).forEach(other::removeTrack))
                .get(5, TimeUnit.SECONDS);
        return offer;
    }

    @Nested
    @Tag("task:1")
    @DisplayName("task 1: sending local candidates")
    class SendingCandidates {

        /** The learner's TrickleIce, joined to a room in which the test listens as the other peer. */
        private final List<Envelope> received = new CopyOnWriteArrayList<>();

        private TrickleIce trickle;
        private CallTimeline timeline;
        private RelayClient listener;

        private void join() throws Exception {
            String room = newRoom();
            URI uri = RELAY.uri();
            listener = RelayClient.webSocket(uri, room, "other", received::add).get(10, TimeUnit.SECONDS);
            toClose.add(listener);
            EventLoop loop = new EventLoop("sender");
            toClose.add(loop);
            timeline = new CallTimeline("sender");
            SignallingChannel channel = new SignallingChannel(loop, timeline);
            channel.attach(RelayClient.webSocket(uri, room, "sender", channel.listener())
                    .get(10, TimeUnit.SECONDS));
            toClose.add(channel);
            trickle = new TrickleIce(channel, profile(), timeline);
        }

        @Test
        @DisplayName("a candidate on 127.0.0.1 is sent the moment it is found, in the browser's JSON shape")
        void sentAtOnce() throws Exception {
            join();

            trickle.onLocalCandidate(new RTCIceCandidate("0", 0, LOOPBACK_CANDIDATE));

            await("the candidate at the other peer")
                    .atMost(WAIT)
                    .until(() -> received.stream().anyMatch(m -> m.type().equals("candidate")));
            Envelope message = received.stream()
                    .filter(m -> m.type().equals("candidate"))
                    .findFirst()
                    .orElseThrow();
            assertThat(message.payload().path("candidate").asText())
                    .as("payload.candidate")
                    .isEqualTo(LOOPBACK_CANDIDATE);
            assertThat(message.payload().path("sdpMid").asText())
                    .as("payload.sdpMid")
                    .isEqualTo("0");
            assertThat(message.payload().path("sdpMLineIndex").asInt(-1))
                    .as("payload.sdpMLineIndex")
                    .isZero();
            assertThat(timeline).values(EventKind.CANDIDATE_SENT).containsExactly(LOOPBACK_CANDIDATE);
        }

        @Test
        @DisplayName(
                "a candidate on another address is not signalled: the loopback profile keeps every packet on 127.0.0.1")
        void otherAddressesFiltered() throws Exception {
            join();
            String host = "candidate:2 1 udp 2122260223 192.0.2.2 50001 typ host generation 0";

            trickle.onLocalCandidate(new RTCIceCandidate("0", 0, host));
            listener.send(
                    "x-marker",
                    Map.of()); // the relay keeps order: once the marker is back, anything sent before is too

            assertThat(timeline).values(EventKind.CANDIDATE_FILTERED).containsExactly(host);
            assertThat(timeline).values(EventKind.CANDIDATE_SENT).isEmpty();
            assertThat(received)
                    .extracting(Envelope::type)
                    .as("what the other peer received")
                    .doesNotContain("candidate");
        }

        @Test
        @Tag("task:step") // a whole call: every task of the step
        @DisplayName("in a whole call, every candidate the caller sent reached the callee")
        void everyCandidateArrives() throws Exception {
            Call call = call();

            long sent = call.caller().timeline().count(EventKind.CANDIDATE_SENT);
            assertThat(sent).as("candidates the caller sent").isPositive();
            assertThat(call.callee().timeline().values(EventKind.MESSAGE_RECEIVED).stream()
                            .filter("candidate"::equals)
                            .count())
                    .as("candidate messages the callee received")
                    .isEqualTo(sent);
        }
    }

    @Nested
    @Tag("task:2")
    @DisplayName("task 2: remote candidates")
    class RemoteCandidates {

        @Test
        @DisplayName("a candidate that comes before the remote description is held, not applied")
        void heldBeforeRemoteDescription() throws Exception {
            EventLoop loop = new EventLoop("queue");
            toClose.add(loop);
            CallTimeline timeline = new CallTimeline("callee");
            CandidateQueue queue = new CandidateQueue(bareConnection(loop), timeline);

            loop.run(() -> queue.handleRemoteCandidate(new CandidateMessage(LOOPBACK_CANDIDATE, "0", 0, null)))
                    .get(5, TimeUnit.SECONDS);

            assertThat(queue.size()).as("candidates held").isEqualTo(1);
            assertThat(timeline).values(EventKind.CANDIDATE_QUEUED).containsExactly(LOOPBACK_CANDIDATE);
            assertThat(timeline).values(EventKind.CANDIDATE_APPLIED).isEmpty();
        }

        @Test
        @DisplayName("a candidate that comes after the remote description is applied at once")
        void appliedAfterRemoteDescription() throws Exception {
            EventLoop loop = new EventLoop("queue");
            toClose.add(loop);
            CallTimeline timeline = new CallTimeline("callee");
            RTCPeerConnection pc = bareConnection(loop);
            Descriptions.setRemote(pc, remoteOffer(loop), loop).get(5, TimeUnit.SECONDS);
            CandidateQueue queue = new CandidateQueue(pc, timeline);

            loop.run(() -> queue.handleRemoteCandidate(new CandidateMessage(LOOPBACK_CANDIDATE, "0", 0, null)))
                    .get(5, TimeUnit.SECONDS);

            assertThat(queue.size()).as("candidates held").isZero();
            assertThat(timeline).values(EventKind.CANDIDATE_APPLIED).containsExactly(LOOPBACK_CANDIDATE);
        }

        @Test
        @DisplayName("a browser's candidate, with usernameFragment and sdpMid only, is taken")
        void browserShape() throws Exception {
            EventLoop loop = new EventLoop("queue");
            toClose.add(loop);
            CallTimeline timeline = new CallTimeline("callee");
            CandidateQueue queue = new CandidateQueue(bareConnection(loop), timeline);
            CandidateMessage fromBrowser = callguide.kit.signal.Json.read(
                    "{\"candidate\":\"" + LOOPBACK_CANDIDATE + "\",\"sdpMid\":\"0\",\"usernameFragment\":\"aB3x\"}",
                    CandidateMessage.class);

            loop.run(() -> queue.handleRemoteCandidate(fromBrowser)).get(5, TimeUnit.SECONDS);

            assertThat(timeline).values(EventKind.CANDIDATE_QUEUED).containsExactly(LOOPBACK_CANDIDATE);
        }

        @Test
        @DisplayName("a malformed candidate is refused with a clear error, and nothing is held")
        void malformedRefused() throws Exception {
            EventLoop loop = new EventLoop("queue");
            toClose.add(loop);
            CandidateQueue queue = new CandidateQueue(bareConnection(loop), new CallTimeline("callee"));

            CompletableFuture<Void> handled =
                    loop.run(() -> queue.handleRemoteCandidate(new CandidateMessage("not a candidate", "0", 0, null)));

            assertThat(handled)
                    .as("handleRemoteCandidate with a malformed line")
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .withMessageContaining("not a candidate");
            assertThat(queue.size()).as("candidates held after a malformed one").isZero();
        }
    }

    @Nested
    @Tag("task:step") // task 3 applies what task 2 held (and the second test is a whole call): the whole step's row
    @DisplayName("task 3: the held candidates")
    class HeldCandidates {

        @Test
        @DisplayName("are all applied right after the remote description, in the order they came")
        void appliedInOrder() throws Exception {
            EventLoop loop = new EventLoop("queue");
            toClose.add(loop);
            CallTimeline timeline = new CallTimeline("callee");
            RTCPeerConnection pc = bareConnection(loop);
            CandidateQueue queue = new CandidateQueue(pc, timeline);
            String second = LOOPBACK_CANDIDATE.replace("50000 typ", "50002 typ");
            loop.run(() -> {
                        queue.handleRemoteCandidate(new CandidateMessage(LOOPBACK_CANDIDATE, "0", 0, null));
                        queue.handleRemoteCandidate(new CandidateMessage(second, "0", 0, null));
                    })
                    .get(5, TimeUnit.SECONDS);
            Descriptions.setRemote(pc, remoteOffer(loop), loop).get(5, TimeUnit.SECONDS);

            loop.run(queue::processCandidates).get(5, TimeUnit.SECONDS);

            assertThat(timeline).values(EventKind.CANDIDATE_APPLIED).containsExactly(LOOPBACK_CANDIDATE, second);
            assertThat(queue.size())
                    .as("candidates still held after processCandidates")
                    .isZero();
        }

        @Test
        @DisplayName("when the relay delivers every candidate before the offer, all are held, applied, counted by "
                + "stats, and the call connects")
        void everyCandidateBeforeTheOffer() throws Exception {
            Call call = call(callerTimeline -> client -> new HoldOfferUntilGathered(client, callerTimeline));

            CallTimeline callee = call.callee().timeline();
            long sent = call.caller().timeline().count(EventKind.CANDIDATE_SENT);
            assertThat(sent).as("candidates the caller sent").isPositive();
            assertThat(callee.count(EventKind.CANDIDATE_QUEUED))
                    .as("candidates the callee held (all came before the offer)")
                    .isEqualTo(sent);
            assertThat(callee.count(EventKind.CANDIDATE_APPLIED))
                    .as("held candidates applied")
                    .isEqualTo(sent);
            assertThat(callee)
                    .hasInOrder(
                            EventKind.SIGNALING_STATE,
                            "HAVE_REMOTE_OFFER",
                            EventKind.CANDIDATE_APPLIED,
                            callee.values(EventKind.CANDIDATE_APPLIED).get(0));
            var report = Stats.report(call.callee().peerConnection()).get(5, TimeUnit.SECONDS);
            // The caller gathers one port per media section; BUNDLE keeps the first section's
            // transport only, so stats know its candidates and not the others. Had the queue
            // applied them before the remote description, libwebrtc would have dropped them all
            // silently and the callee would know the caller only as a peer-reflexive candidate.
            assertThat(Stats.remoteCandidateCount(report, "srflx"))
                    .as("srflx remote candidates the callee's connection knows (applied, not silently dropped)")
                    .isPositive();
        }
    }

    @Nested
    @Tag("task:4")
    @DisplayName("task 4: the call is up")
    class TheCallIsUp {

        @ParameterizedTest(name = "{0}")
        @EnumSource(RTCIceConnectionState.class)
        @DisplayName("when ICE is connected or completed, and only then")
        void upStates(RTCIceConnectionState state) {
            boolean expected = state == RTCIceConnectionState.CONNECTED || state == RTCIceConnectionState.COMPLETED;
            assertThat(TrickleIce.isCallUp(state)).as("isCallUp(%s)", state).isEqualTo(expected);
        }

        @Test
        @Tag("task:step") // a whole call: every task of the step
        @DisplayName("a whole call: both sides connected, the states in the guide's order, frames and audio both "
                + "ways, the pair on 127.0.0.1")
        void wholeCall() throws Exception {
            Call call = call();

            CallTimeline caller = call.caller().timeline();
            CallTimeline callee = call.callee().timeline();
            assertThat(caller).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(callee).signalingStates().containsExactly("HAVE_REMOTE_OFFER", "STABLE");
            for (CallTimeline side : List.of(caller, callee)) {
                assertThat(side).iceConnectionStates().startsWith("CHECKING").containsAnyOf("CONNECTED", "COMPLETED");
                assertThat(side).connectionStates().startsWith("CONNECTING", "CONNECTED");
                assertThat(side).tracks().containsExactlyInAnyOrder("audio", "video");
            }
            assertThat(caller)
                    .as("the caller offers only after the callee accepted")
                    .hasInOrder(EventKind.MESSAGE_RECEIVED, "accept", EventKind.MESSAGE_SENT, "offer");
            assertThat(callee)
                    .as("the callee had media and a peer before it accepted")
                    .hasInOrder(EventKind.CALL, "peer ready", EventKind.MESSAGE_SENT, "accept");
            for (CallReport report : List.of(call.callerReport(), call.calleeReport())) {
                assertThat(report.connected()).as("%s connected", report.side()).isTrue();
                assertThat(report.videoFramesReceived())
                        .as("%s: video frames received", report.side())
                        .isPositive();
                assertThat(report.audioCallbacks())
                        .as("%s: audio callbacks received", report.side())
                        .isPositive();
                assertThat(report.selectedPair())
                        .as("%s: the selected candidate pair", report.side())
                        .isNotNull();
                assertThat(report.selectedPair().get("local"))
                        .as("%s: the pair's local end", report.side())
                        .contains("127.0.0.1:");
                assertThat(report.selectedPair().get("remote"))
                        .as("%s: the pair's remote end", report.side())
                        .contains("127.0.0.1:");
            }
        }

        @Test
        @Tag("task:step") // a whole call: every task of the step
        @DisplayName("voice only switched on mid-call is seen at the other side: video frames stop, then resume, with "
                + "no new offer")
        void voiceOnlyMidCall() throws Exception {
            Call call = call();
            var frames = call.callee().remoteVideo();

            call.caller()
                    .loop()
                    .run(() -> UserMedia.setVideoEnabled(call.caller().media(), false))
                    .get(5, TimeUnit.SECONDS);
            AtomicLong last = new AtomicLong(-1);
            await("video frames stop at the callee")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> frames.frames() == last.getAndSet(frames.frames()));
            long stoppedAt = frames.frames();

            call.caller()
                    .loop()
                    .run(() -> UserMedia.setVideoEnabled(call.caller().media(), true))
                    .get(5, TimeUnit.SECONDS);
            await("video frames resume at the callee")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> frames.frames() > stoppedAt + 10);

            assertThat(call.caller().timeline())
                    .signalingStates()
                    .as("no renegotiation for the switch")
                    .containsExactly("HAVE_LOCAL_OFFER", "STABLE");
        }
    }
}
