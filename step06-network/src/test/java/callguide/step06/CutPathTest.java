package callguide.step06;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callguide.call.CallPeer;
import callguide.kit.net.LinkSettings;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SessionDescriptionMessage;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.testkit.RelayExtension;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("task:2")
@DisplayName("step06 task 2: a cut path, ICE restarted")
class CutPathTest {
    /** Every candidate routed through the kit's link: the test cuts and heals it mid-call. */
    @RegisterExtension
    static final RelayExtension LINKED = RelayExtension.withLink(LinkSettings.perfect());

    private static final Duration NOTICE = Duration.ofSeconds(20);

    @Test
    @Timeout(75)
    @DisplayName("the link cut mid-call: ICE disconnected, the caller restarts ICE once (a new offer, a new ufrag, the "
            + "same tracks); healed, ICE checks and connects again and frames resume both ways")
    void cutRestartHeal() throws Exception {
        try (TwoPeers call = TwoPeers.up(LINKED.uri(), LINKED.profile(), TwoPeers.RESTART)) {
            CallPeer caller = call.caller;
            String ufragBefore = localUfrag(caller);
            int senders = senders(caller);

            LINKED.link().cut();
            assertThat(caller.timeline().when(EventKind.CALL, IceRestart.RESTARTING))
                    .as("the caller's restart after the cut; its timeline:%n%s", caller.timeline())
                    .succeedsWithin(NOTICE);
            // Healed only once the restart's checks are under way: healed earlier, the old pair may come back by
            // itself.
            await("the caller checking the restart's candidates while the link is still cut")
                    .atMost(NOTICE)
                    .untilAsserted(() -> assertThat(fromTheCut(caller))
                            .as("the caller's ICE states from the cut on")
                            .contains("CHECKING"));
            assertThat(caller.timeline()
                            .when(e -> e.kind() == EventKind.SIGNALING_STATE
                                    && caller.timeline().count(EventKind.SIGNALING_STATE) >= 4))
                    .as("the restart's answer applied at the caller (its second STABLE)")
                    .succeedsWithin(NOTICE);
            long[] frozen = {
                caller.remoteVideo().frames(), call.callee.remoteVideo().frames()
            };
            LINKED.link().heal();
            long healed = System.nanoTime();

            // The caller's restart shows in its states (new checks); the callee's ICE goes back to connected once the
            // new generation's pair works.
            await("ICE checking, then connected again, at the caller")
                    .atMost(NOTICE)
                    .untilAsserted(() -> assertThat(fromTheCut(caller))
                            .as("the caller's ICE states from the cut on")
                            .containsSubsequence("CHECKING", "CONNECTED"));
            // The callee may not have noticed the cut before the restart's offer came (its ICE then never leaves
            // CONNECTED): its state now is what counts, and the frames below say the new pair carries media.
            await("ICE connected at the callee")
                    .atMost(NOTICE)
                    .untilAsserted(() -> assertThat(call.callee.timeline())
                            .iceConnectionStates()
                            .last()
                            .as("the callee's ICE state (its states from the cut on: %s)", fromTheCut(call.callee))
                            .isIn("CONNECTED", "COMPLETED"));
            await("frames resuming both ways")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> caller.remoteVideo().frames() > frozen[0] + 30
                            && call.callee.remoteVideo().frames() > frozen[1] + 30);
            System.out.printf(
                    "ICE restart: frames resumed both ways (30 more each) %d ms after the heal%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed));

            assertThat(caller.timeline())
                    .signalingStates()
                    .as("the caller's signalling states: the call's offer, then the restart's")
                    .containsExactly("HAVE_LOCAL_OFFER", "STABLE", "HAVE_LOCAL_OFFER", "STABLE");
            assertThat(call.callee.timeline())
                    .signalingStates()
                    .containsExactly("HAVE_REMOTE_OFFER", "STABLE", "HAVE_REMOTE_OFFER", "STABLE");
            assertThat(call.callee.timeline())
                    .values(EventKind.MESSAGE_SENT)
                    .as("what the callee sent (the caller restarts, never both)")
                    .doesNotContain(MessageTypes.OFFER);
            assertThat(localUfrag(caller))
                    .as("the caller's ICE ufrag after the restart")
                    .isNotNull()
                    .isNotEqualTo(ufragBefore);
            assertThat(senders(caller))
                    .as("the caller's senders (the same tracks)")
                    .isEqualTo(senders);
            assertThat(caller.timeline().values(EventKind.CALL)).as("restarts").containsOnlyOnce(IceRestart.RESTARTING);
        }
    }

    @Test
    @DisplayName("the callee never restarts, and the caller restarts once however often ICE says disconnected or "
            + "failed")
    void callerOnlyOnce() throws Exception {
        try (EventLoop loop = new EventLoop("restart")) {
            CallTimeline callerTimeline = new CallTimeline("caller");
            CallTimeline calleeTimeline = new CallTimeline("callee");
            RTCPeerConnection pc = TwoPeers.bareConnection(loop);
            IceRestart asCaller =
                    new IceRestart(pc, new SignallingChannel(loop, callerTimeline), loop, callerTimeline, true);
            IceRestart asCallee =
                    new IceRestart(pc, new SignallingChannel(loop, calleeTimeline), loop, calleeTimeline, false);

            assertThat(loop.run(() -> {
                        for (RTCIceConnectionState state : List.of(
                                RTCIceConnectionState.CHECKING,
                                RTCIceConnectionState.CONNECTED,
                                RTCIceConnectionState.DISCONNECTED,
                                RTCIceConnectionState.FAILED,
                                RTCIceConnectionState.DISCONNECTED)) {
                            asCaller.onIceConnectionState(state);
                            asCallee.onIceConnectionState(state);
                        }
                    }))
                    .as("the states given to both")
                    .succeedsWithin(Duration.ofSeconds(5));

            assertThat(callerTimeline).values(EventKind.CALL).containsExactly(IceRestart.RESTARTING);
            assertThat(calleeTimeline)
                    .values(EventKind.CALL)
                    .as("the callee's restarts")
                    .isEmpty();
            assertThat(callerTimeline.when(EventKind.MESSAGE_SENT, MessageTypes.OFFER))
                    .as("the restart's offer, sent; the caller's timeline:%n%s", callerTimeline)
                    .succeedsWithin(Duration.ofSeconds(5));
            assertThat(calleeTimeline).values(EventKind.MESSAGE_SENT).isEmpty();
            loop.run(pc::close).get(5, TimeUnit.SECONDS);
        }
    }

    /** The ICE connection states from the first DISCONNECTED or FAILED on. */
    private static List<String> fromTheCut(CallPeer peer) {
        return peer.timeline().values(EventKind.ICE_CONNECTION_STATE).stream()
                .dropWhile(s -> !s.equals("DISCONNECTED") && !s.equals("FAILED"))
                .toList();
    }

    private static String localUfrag(CallPeer peer) throws Exception {
        return peer.loop()
                .submit(() -> SessionDescriptionMessage.from(
                                peer.peerConnection().getLocalDescription())
                        .iceUfrag())
                .get(5, TimeUnit.SECONDS);
    }

    private static int senders(CallPeer peer) throws Exception {
        return peer.loop()
                .submit(() -> peer.peerConnection().getSenders().length)
                .get(5, TimeUnit.SECONDS);
    }
}
