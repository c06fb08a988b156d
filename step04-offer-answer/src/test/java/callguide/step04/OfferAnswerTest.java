package callguide.step04;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.kit.Todo;
import callguide.kit.rtc.Descriptions;
import callguide.kit.rtc.InvalidDescriptionException;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.timeline.EventKind;
import callguide.testkit.RelayExtension;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("step04 offer and answer")
class OfferAnswerTest {
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.signallingOnly();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private TestSide caller;
    private TestSide callee;

    @BeforeEach
    void twoSides() throws Exception {
        String room = "step04-" + ROOMS.incrementAndGet();
        callee = new TestSide("callee", RELAY.uri(), room);
        caller = new TestSide("caller", RELAY.uri(), room);
    }

    @AfterEach
    void close() throws Exception {
        caller.close();
        callee.close();
    }

    /** The first message of {@code type} that reached {@code side}, as a description. */
    private static SessionDescriptionMessage awaitDescription(TestSide side, String type) {
        await(side.timeline.side() + " receives an " + type)
                .atMost(WAIT)
                .until(() -> side.received.stream().anyMatch(m -> m.type().equals(type)));
        Envelope message = side.received.stream()
                .filter(m -> m.type().equals(type))
                .findFirst()
                .orElseThrow();
        return message.payloadAs(SessionDescriptionMessage.class);
    }

    /** The media kinds of the m= lines, in order, and each section's direction. */
    private static List<String> mediaSections(String sdp) {
        List<String> sections = new java.util.ArrayList<>();
        String kind = null;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                kind = line.substring(2, line.indexOf(' '));
            } else if (kind != null
                    && Arrays.asList("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive")
                            .contains(line)) {
                sections.add(kind + " " + line.substring(2));
                kind = null;
            }
        }
        return sections;
    }

    /** An offer made by the test itself, so the callee's tests do not depend on task 1. */
    private SessionDescriptionMessage offerMadeByTheTest() throws Exception {
        RTCSessionDescription offer = caller.start(
                        () -> Descriptions.createOffer(caller.peerConnection, new RTCOfferOptions(), caller.loop)
                                .thenCompose(o -> Descriptions.setLocal(caller.peerConnection, o, caller.loop)
                                        .thenApply(set -> o)))
                .get(10, TimeUnit.SECONDS);
        return SessionDescriptionMessage.from(offer);
    }

    @Nested
    @Tag("task:1")
    @DisplayName("task 1: the caller's offer")
    class TheOffer {

        @Test
        @DisplayName("moves the caller STABLE -> HAVE_LOCAL_OFFER and sends the offer through the relay")
        void haveLocalOffer() {
            assertThat(caller.start(caller.offerAnswer::makeOffer))
                    .as("makeOffer()")
                    .succeedsWithin(WAIT);

            assertThat(caller.timeline).signalingStates().containsExactly("HAVE_LOCAL_OFFER");
            assertThat(caller.peerConnection.getLocalDescription().sdpType)
                    .as("the caller's local description")
                    .isEqualTo(RTCSdpType.OFFER);
            SessionDescriptionMessage offer = awaitDescription(callee, "offer");
            assertThat(offer.type())
                    .as("the offer's type, in the browser's JSON shape")
                    .isEqualTo("offer");
            assertThat(identity(offer.sdp()))
                    .as("the offer sent is the caller's local description (same ICE credentials and fingerprint)")
                    .isEqualTo(identity(caller.peerConnection.getLocalDescription().sdp));
        }

        @Test
        @DisplayName("asks to receive audio and video, even where a transceiver was only sending")
        void receivesAudioAndVideo() throws Exception {
            caller.onLoop(() -> {
                for (RTCRtpTransceiver transceiver : caller.peerConnection.getTransceivers()) {
                    transceiver.setDirection(RTCRtpTransceiverDirection.SEND_ONLY);
                }
                return null;
            });

            assertThat(caller.start(caller.offerAnswer::makeOffer))
                    .as("makeOffer()")
                    .succeedsWithin(WAIT);

            assertThat(mediaSections(awaitDescription(callee, "offer").sdp()))
                    .as("the offer's media sections: OfferToReceiveAudio and OfferToReceiveVideo")
                    .containsExactly("audio sendrecv", "video sendrecv");
        }

        @Test
        @DisplayName("carries voice activity detection: the comfort noise codec is offered")
        void voiceActivityDetection() {
            assertThat(caller.start(caller.offerAnswer::makeOffer))
                    .as("makeOffer()")
                    .succeedsWithin(WAIT);

            assertThat(awaitDescription(callee, "offer").sdp())
                    .as("with voiceActivityDetection the offer lists CN (comfort noise)")
                    .contains(" CN/");
        }
    }

    @Nested
    @Tag("task:2")
    @DisplayName("task 2: the callee's answer")
    class TheAnswer {

        @Test
        @DisplayName("takes the callee STABLE -> HAVE_REMOTE_OFFER -> STABLE and sends an answer back")
        void haveRemoteOfferThenStable() throws Exception {
            SessionDescriptionMessage offer = offerMadeByTheTest();

            assertThat(callee.start(() -> callee.offerAnswer.answerOffer(offer)))
                    .as("answerOffer(offer)")
                    .succeedsWithin(WAIT);

            assertThat(callee.timeline).signalingStates().containsExactly("HAVE_REMOTE_OFFER", "STABLE");
            SessionDescriptionMessage answer = awaitDescription(caller, "answer");
            assertThat(answer.type())
                    .as("the type of what the callee sent back")
                    .isEqualTo("answer");
            assertThat(identity(answer.sdp()))
                    .as("the answer sent is the callee's local description (same ICE credentials and fingerprint)")
                    .isEqualTo(identity(callee.peerConnection.getLocalDescription().sdp));
        }

        @Test
        @DisplayName("answers every media section of the offer, in order, sending and receiving")
        void answerMatchesOffer() throws Exception {
            SessionDescriptionMessage offer = offerMadeByTheTest();

            assertThat(callee.start(() -> callee.offerAnswer.answerOffer(offer)))
                    .as("answerOffer(offer)")
                    .succeedsWithin(WAIT);

            assertThat(mediaSections(awaitDescription(caller, "answer").sdp()))
                    .as("the answer's media sections")
                    .containsExactly("audio sendrecv", "video sendrecv");
        }

        @Test
        @DisplayName("runs afterRemoteDescription once, after the offer is applied and before the answer is sent")
        void afterRemoteDescription() throws Exception {
            SessionDescriptionMessage offer = offerMadeByTheTest();

            assertThat(callee.start(() -> callee.offerAnswer.answerOffer(offer)))
                    .as("answerOffer(offer)")
                    .succeedsWithin(WAIT);

            assertThat(callee.afterRemoteDescription.get())
                    .as("afterRemoteDescription runs")
                    .isEqualTo(1);
            assertThat(callee.timeline)
                    .hasInOrder(
                            EventKind.SIGNALING_STATE, "HAVE_REMOTE_OFFER", EventKind.CALL, "after remote description")
                    .hasInOrder(EventKind.CALL, "after remote description", EventKind.MESSAGE_SENT, "answer");
        }

        @Test
        @DisplayName("reports a malformed offer and leaves the callee in STABLE, with nothing sent")
        void malformedOffer() throws Exception {
            SessionDescriptionMessage garbage = new SessionDescriptionMessage("offer", "this is not SDP");

            assertThat(callee.start(() -> callee.offerAnswer.answerOffer(garbage)))
                    .as("answerOffer with a malformed SDP: a failed future, not an exception thrown")
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOf(InvalidDescriptionException.class);
            assertThat(callee.onLoop(callee.peerConnection::getSignalingState))
                    .as("the callee's signalling state after it")
                    .isEqualTo(RTCSignalingState.STABLE);
            assertThat(callee.timeline)
                    .values(EventKind.MESSAGE_SENT)
                    .as("messages sent")
                    .isEmpty();
            assertThat(callee.afterRemoteDescription.get())
                    .as("afterRemoteDescription runs only after a remote description is set")
                    .isZero();
        }

        @Test
        @DisplayName("reports an offer without SDP as a failed future too")
        void offerWithoutSdp() {
            assertThat(callee.start(() -> callee.offerAnswer.answerOffer(new SessionDescriptionMessage("offer", null))))
                    .as("answerOffer({type: 'offer'}) with no sdp")
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .as("why it failed: the missing sdp, not an unfinished task")
                    .isInstanceOf(IllegalArgumentException.class)
                    .isNotInstanceOf(Todo.class)
                    .withMessageContaining("sdp");
        }
    }

    @Nested
    @Tag("task:3")
    @DisplayName("task 3: the caller takes the answer")
    class TakingTheAnswer {

        /** Offer by the test, answer by the test: only acceptAnswer is the learner's. */
        private SessionDescriptionMessage answerMadeByTheTest() throws Exception {
            SessionDescriptionMessage offer = offerMadeByTheTest();
            RTCSessionDescription answer = callee.start(
                            () -> Descriptions.setRemote(callee.peerConnection, offer.toRtc(), callee.loop)
                                    .thenCompose(set -> Descriptions.createAnswer(
                                            callee.peerConnection, new RTCAnswerOptions(), callee.loop))
                                    .thenCompose(a -> Descriptions.setLocal(callee.peerConnection, a, callee.loop)
                                            .thenApply(set -> a)))
                    .get(10, TimeUnit.SECONDS);
            return SessionDescriptionMessage.from(answer);
        }

        @Test
        @DisplayName("brings the caller back to STABLE and runs afterRemoteDescription")
        void backToStable() throws Exception {
            SessionDescriptionMessage answer = answerMadeByTheTest();

            assertThat(caller.start(() -> caller.offerAnswer.acceptAnswer(answer)))
                    .as("acceptAnswer(answer)")
                    .succeedsWithin(WAIT);

            assertThat(caller.timeline).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(caller.peerConnection.getRemoteDescription().sdpType)
                    .as("the caller's remote description")
                    .isEqualTo(RTCSdpType.ANSWER);
            assertThat(caller.afterRemoteDescription.get())
                    .as("afterRemoteDescription runs once the answer is applied")
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("reports a malformed answer and leaves the caller in HAVE_LOCAL_OFFER")
        void malformedAnswer() throws Exception {
            offerMadeByTheTest();

            assertThat(caller.start(() -> caller.offerAnswer.acceptAnswer(
                            new SessionDescriptionMessage("answer", "v=0 but not really"))))
                    .as("acceptAnswer with a malformed SDP")
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .havingCause()
                    .as("why it failed: the SDP webrtc-java refused, not an unfinished task")
                    .isInstanceOf(InvalidDescriptionException.class);
            assertThat(caller.onLoop(caller.peerConnection::getSignalingState))
                    .as("the caller's signalling state after it")
                    .isEqualTo(RTCSignalingState.HAVE_LOCAL_OFFER);
        }

        @Test
        @Tag("task:step") // the offer, the answer and taking it: every task of the step
        @DisplayName("with the offer and the answer through the relay: caller STABLE -> HAVE_LOCAL_OFFER -> STABLE, "
                + "callee STABLE -> HAVE_REMOTE_OFFER -> STABLE")
        void theWholeExchange() {
            callee.channel.on(
                    "offer", m -> callee.offerAnswer.answerOffer(m.payloadAs(SessionDescriptionMessage.class)));
            caller.channel.on(
                    "answer", m -> caller.offerAnswer.acceptAnswer(m.payloadAs(SessionDescriptionMessage.class)));

            assertThat(caller.start(caller.offerAnswer::makeOffer))
                    .as("makeOffer()")
                    .succeedsWithin(WAIT);
            await("the caller back in STABLE")
                    .atMost(WAIT)
                    .until(() ->
                            caller.timeline.values(EventKind.SIGNALING_STATE).contains("STABLE"));

            assertThat(caller.timeline).signalingStates().containsExactly("HAVE_LOCAL_OFFER", "STABLE");
            assertThat(callee.timeline).signalingStates().containsExactly("HAVE_REMOTE_OFFER", "STABLE");
            assertThat(caller.timeline)
                    .hasInOrder(EventKind.MESSAGE_SENT, "offer", EventKind.MESSAGE_RECEIVED, "answer");
        }
    }

    /**
     * What makes a description this peer's own: its ICE credentials and its DTLS fingerprint.
     * The local description grows candidate lines (and ports) while ICE gathers, so the whole
     * text sent a moment ago may differ from it now.
     */
    private static java.util.List<String> identity(String sdp) {
        return sdp.lines()
                .filter(l ->
                        l.startsWith("a=ice-ufrag:") || l.startsWith("a=ice-pwd:") || l.startsWith("a=fingerprint:"))
                .toList();
    }
}
