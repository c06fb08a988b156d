package callguide.step06;

import callguide.call.Resilience;
import callguide.kit.Todo;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCPeerConnection;

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
        // TODO(step06): task 3. The guide's hang-up: what must the other side hear, and why before the
        //  connection closes rather than after? What does the timeline say (ENDED), and what if the call
        //  has ended already?
        throw Todo.task("step06", 3, "hang up: tell the other side, then close");
    }

    /** The other side hung up or left: {@code what} says which. */
    @Override
    public void otherEnded(String what) {
        // TODO(step06): task 3. The other side ended it: there is nobody left to tell. What is left to do
        //  here, and what if this side hung up a moment before?
        throw Todo.task("step06", 3, "close when the other side hangs up or leaves");
    }

    /** Whether the call has ended here. */
    public boolean ended() {
        return ended;
    }
}
