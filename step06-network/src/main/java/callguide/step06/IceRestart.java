package callguide.step06;

import callguide.kit.Todo;
import callguide.kit.rtc.EventLoop;
import callguide.kit.signal.SignallingChannel;
import callguide.kit.timeline.CallTimeline;
import dev.onvoid.webrtc.RTCIceConnectionState;
import dev.onvoid.webrtc.RTCPeerConnection;

/**
 * A cut path: "network conditions won't always be great". When ICE loses the path (disconnected or failed) the
 * caller restarts ICE: a new offer with {@code iceRestart}, the same tracks, new ICE credentials, so both sides
 * gather and check again. Runs on the peer's loop only.
 */
public final class IceRestart {
    /** The {@code call} event recorded when the restart's offer is made. */
    public static final String RESTARTING = "ice restart: a new offer with iceRestart";

    private final RTCPeerConnection peerConnection;
    private final SignallingChannel channel;
    private final EventLoop loop;
    private final CallTimeline timeline;
    private final boolean caller;
    private boolean restarted;

    public IceRestart(
            RTCPeerConnection peerConnection,
            SignallingChannel channel,
            EventLoop loop,
            CallTimeline timeline,
            boolean caller) {
        this.peerConnection = peerConnection;
        this.channel = channel;
        this.loop = loop;
        this.timeline = timeline;
        this.caller = caller;
    }

    /** The guide's {@code iceconnectionstatechange}, once more. */
    public void onIceConnectionState(RTCIceConnectionState state) {
        // TODO(step06): task 2. Which ICE states say the path is lost? Then a new offer that restarts ICE
        //  (step04 made offers; find the option that restarts). Who offers it (what if both sides did?),
        //  how often (a path that stays cut?), and what stays as it is? The timeline says RESTARTING first.
        throw Todo.task("step06", 2, "restart ICE from the caller when the path is lost");
    }
}
