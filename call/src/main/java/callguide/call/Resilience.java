package callguide.call;

import callguide.kit.rtc.EventLoop;
import callguide.kit.rtc.HangUp;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What keeps a call standing when the network and the relay misbehave (step06's {@code MessageMemory},
 * {@code CallEnding} and {@code IceRestart}), handed to a {@link CallPeer} the way {@link Trickle} hands in
 * step05's classes: which messages to handle (a repeat changes nothing), how the call ends both ways, and what
 * to do when ICE loses the path. {@link #PLAIN} is a call before step06: every message handled, the hang-up done
 * by {@link CallPeer} itself, no ICE restart.
 *
 * @param memory  step06's {@code new MessageMemory(timeline)::isNew}: false for a message to leave alone
 * @param ending  step06's {@code new CallEnding(peerConnection, channel, timeline)}, as an {@link Ending}
 * @param restart step06's {@code new IceRestart(...)::onIceConnectionState}
 */
public record Resilience(Memory memory, Ends ending, Restart restart) {

    /** Every message handled; this side's hang-up sends {@code hangup} first, then closes; ICE left to itself. */
    public static final Resilience PLAIN = new Resilience(
            timeline -> message -> true,
            (peerConnection, channel, timeline) -> new Ending() {
                @Override
                public void hangUp() {
                    channel.send(MessageTypes.HANGUP, Map.of());
                    HangUp.close(peerConnection);
                }

                @Override
                public void otherEnded(String what) {
                    HangUp.close(peerConnection);
                }
            },
            (peerConnection, channel, loop, timeline, role) -> state -> {});

    /** These, with one of them changed. */
    public Resilience withMemory(Memory memory) {
        return new Resilience(memory, ending, restart);
    }

    public Resilience withEnding(Ends ending) {
        return new Resilience(memory, ending, restart);
    }

    public Resilience withRestart(Restart restart) {
        return new Resilience(memory, ending, restart);
    }

    /** Makes what one connection does on each ICE connection state (after {@link CallPeer}'s own look at it). */
    @FunctionalInterface
    public interface Restart {
        Consumer<RTCIceConnectionState> on(
                RTCPeerConnection peerConnection,
                SignallingChannel channel,
                EventLoop loop,
                CallTimeline timeline,
                Role role);
    }

    /** Makes the filter of incoming messages for one peer. */
    @FunctionalInterface
    public interface Memory {
        Predicate<Envelope> on(CallTimeline timeline);
    }

    /** Makes the ending for one connection. */
    @FunctionalInterface
    public interface Ends {
        Ending on(RTCPeerConnection peerConnection, SignallingChannel channel, CallTimeline timeline);
    }

    /** The two ways a call ends. Called on the peer's loop. */
    public interface Ending {
        /** This side hangs up: the other side is told, the connection closed. */
        void hangUp();

        /** The other side hung up or left ({@code what} says which): this side's connection closes too. */
        void otherEnded(String what);
    }
}
