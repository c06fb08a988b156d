package callguide.step06;

import callguide.call.Resilience;
import callguide.kit.rtc.HangUp;
import callguide.kit.signal.MessageTypes;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.util.Map;

/**
 * A call ends both ways: this side hangs up, or the other side does (its {@code hangup}, or the relay's
 * {@code peer-left}). Either way the guide's {@code connectionstatechange} reaches {@code closed}.
 * Runs on the peer's loop only.
 */
public final class CallEnding implements Resilience.Ending {
    /** The {@code call} event recorded when the call has ended, followed by who ended it. */
    public static final String ENDED = "call ended: ";

    private final RTCPeerConnection peerConnection;
    private final SignallingChannel channel;
    private final CallTimeline timeline;
    private boolean ended;

    public CallEnding(RTCPeerConnection peerConnection, SignallingChannel channel, CallTimeline timeline) {
        this.peerConnection = peerConnection;
        this.channel = channel;
        this.timeline = timeline;
    }

    /** This side hangs up. */
    @Override
    public void hangUp() {
        // Task 3. Once: after close() every call on the connection throws, a second close() included.
        if (ended) {
            return;
        }
        // The message first: the other side closes at once instead of waiting seconds for ICE to notice.
        channel.send(MessageTypes.HANGUP, Map.of());
        end("this side hung up");
    }

    /** The other side hung up or left: {@code what} says which. */
    @Override
    public void otherEnded(String what) {
        // Task 3. Nothing to tell: the other side is gone. A hangup after our own (or twice) changes nothing.
        if (ended) {
            return;
        }
        end(what);
    }

    /** Whether the call has ended here. */
    public boolean ended() {
        return ended;
    }

    private void end(String why) {
        ended = true;
        HangUp.close(peerConnection); // tracks removed, then close(): the order webrtc-java survives
        timeline.record(EventKind.CALL, ENDED + why);
    }
}
