package callguide.step06;

import static callguide.testkit.TimelineAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import callguide.call.CallPeer;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.ForwardingRelayClient;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.RelayClient;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import callguide.testkit.RelayExtension;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("task:3")
@DisplayName("step06 task 3: hang-up both ways")
class CallEndingTest {
    @RegisterExtension
    static final RelayExtension RELAY = RelayExtension.withStun();

    private static final Duration CLOSE = Duration.ofSeconds(5);

    @Test
    @DisplayName("hanging up sends hangup before the connection closes; the other side closes on it and says the"
            + " call ended, both sides' states CLOSED")
    void hangUp() throws Exception {
        try (TwoPeers call = TwoPeers.up(RELAY.uri(), RELAY.profile(), TwoPeers.ENDING)) {
            call.caller.close();

            assertThat(call.callee.otherEnded())
                    .as("the callee's end of the call; its timeline:%n%s", call.callee.timeline())
                    .succeedsWithin(CLOSE)
                    .isEqualTo("the other side hung up");
            CallTimeline caller = call.caller.timeline();
            CallTimeline callee = call.callee.timeline();
            assertThat(caller)
                    .as("the caller tells the other side before it closes")
                    .hasInOrder(EventKind.MESSAGE_SENT, MessageTypes.HANGUP, EventKind.CONNECTION_STATE, "CLOSED");
            assertThat(caller).values(EventKind.CALL).contains(CallEnding.ENDED + "this side hung up");
            assertClosed(call.callee, CallEnding.ENDED + "hung up");
            assertThat(callee).values(EventKind.MESSAGE_SENT).doesNotContain(MessageTypes.HANGUP);
            assertThat(caller).connectionStates().last().isEqualTo("CLOSED");
        }
    }

    @Test
    @DisplayName("when the relay says the other side left (peer-left, no hangup), this side closes and says the call"
            + " ended")
    void peerLeft() throws Exception {
        AtomicReference<RelayClient> callerLink = new AtomicReference<>();
        try (TwoPeers call = TwoPeers.up(RELAY.uri(), RELAY.profile(), TwoPeers.ENDING, client -> {
            callerLink.set(client);
            return new ForwardingRelayClient(client) {};
        })) {
            callerLink.get().close(); // the caller's relay connection drops: no hangup, the relay says peer-left

            assertThat(call.callee.otherEnded())
                    .as("the callee's end of the call; its timeline:%n%s", call.callee.timeline())
                    .succeedsWithin(CLOSE)
                    .asString()
                    .startsWith("the other side left the room");
            assertThat(call.callee.timeline())
                    .values(EventKind.CALL)
                    .anySatisfy(value -> assertThat(value).startsWith(CallEnding.ENDED + "left the room"));
            assertClosed(call.callee, null);
        }
    }

    @Test
    @DisplayName("the call ends once: a hangup that comes after this side's own (or a second one) sends nothing, "
            + "closes nothing twice, throws nothing")
    void once() throws Exception {
        try (EventLoop loop = new EventLoop("ending")) {
            CallTimeline timeline = new CallTimeline("ending");
            SignallingChannel channel = new SignallingChannel(loop, timeline); // never attached: nothing leaves
            RTCPeerConnection pc = TwoPeers.bareConnection(loop);
            CallEnding ending = new CallEnding(pc, channel, timeline);

            assertThat(loop.run(() -> {
                        ending.otherEnded("hung up");
                        ending.otherEnded("hung up");
                        ending.hangUp();
                    }))
                    .as("otherEnded twice, then hangUp")
                    .succeedsWithin(CLOSE);

            assertThat(ending.ended()).as("ended()").isTrue();
            assertThat(timeline)
                    .values(EventKind.MESSAGE_SENT)
                    .as("messages sent")
                    .isEmpty();
            assertThat(timeline).values(EventKind.CALL).containsExactly(CallEnding.ENDED + "hung up");
            channel.close();
        }
    }

    /** Its states all CLOSED, the ending recorded (when {@code ended} is given), nothing failed on its loop. */
    private static void assertClosed(CallPeer peer, String ended) {
        CallTimeline timeline = peer.timeline();
        assertThat(timeline.when(EventKind.CALL, CallPeer.CLOSED))
                .as("%s: the connection's last events in; timeline:%n%s", timeline.side(), timeline)
                .succeedsWithin(CLOSE);
        assertThat(timeline)
                .connectionStates()
                .last()
                .as("%s: connection state", timeline.side())
                .isEqualTo("CLOSED");
        assertThat(timeline)
                .iceConnectionStates()
                .last()
                .as("%s: ICE connection state", timeline.side())
                .isEqualTo("CLOSED");
        if (ended != null) {
            assertThat(timeline).values(EventKind.CALL).contains(ended);
        }
        assertThat(peer.loop().failures())
                .as("%s: errors on its loop", timeline.side())
                .isEmpty();
    }
}
