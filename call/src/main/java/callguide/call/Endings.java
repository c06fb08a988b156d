package callguide.call;

import callguide.kit.rtc.HangUp;
import callguide.kit.signal.Envelope;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What keeps a call standing when the network and the relay misbehave (step06's {@code MessageMemory} and
 * {@code CallEnding}), handed to a {@link CallPeer} the way {@link Trickle} hands in step05's classes: which
 * messages to handle (a repeat changes nothing), and how the call ends both ways. {@link #PLAIN} is a call
 * before step06: every message handled, the hang-up done by {@link CallPeer} itself.
 *
 * @param memory  step06's {@code new MessageMemory(timeline)::isNew}: false for a message to leave alone
 * @param ending  step06's {@code new CallEnding(peerConnection, channel, timeline)}, as an {@link Ending}
 */
public record Endings(Memory memory, Ends ending) {

    /** Every message handled; this side's hang-up sends {@code hangup} first, then closes. */
    public static final Endings PLAIN =
            new Endings(timeline -> message -> true, (peerConnection, channel, timeline) -> new Ending() {
                @Override
                public void hangUp() {
                    channel.send(MessageTypes.HANGUP, Map.of());
                    HangUp.close(peerConnection);
                }

                @Override
                public void otherEnded(String what) {
                    HangUp.close(peerConnection);
                }
            });

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
