package callguide.app.run;

import static callguide.app.run.StepRun.say;

import callguide.kit.timeline.EventKind;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.util.EnumSet;

/**
 * {@code ./workshop run 04}: offer and answer between two peers through a relay started here;
 * each side's signalling states as they change, then the media sections of both descriptions.
 */
public final class Step04OfferAnswer {

    private Step04OfferAnswer() {}

    public static void main(String[] args) {
        StepRun.main("step04", args, Step04OfferAnswer::run);
    }

    private static void run(String[] args) throws Exception {
        CallRun.run(
                args,
                EnumSet.of(
                        EventKind.SIGNALING_STATE, EventKind.MESSAGE_SENT, EventKind.MESSAGE_RECEIVED, EventKind.ERROR),
                (caller, callee) -> {
                    print("caller", "local (the offer)", caller.peerConnection().getLocalDescription());
                    print(
                            "callee",
                            "local (the answer)",
                            callee.peerConnection().getLocalDescription());
                });
    }

    private static void print(String side, String which, RTCSessionDescription description) {
        say("%s's %s description, %s:", side, which, description.sdpType);
        String media = null;
        for (String line : description.sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                media = line;
            } else if (media != null && line.matches("a=(sendrecv|sendonly|recvonly|inactive)")) {
                say("    %s  %s", media.length() > 60 ? media.substring(0, 60) + "..." : media, line.substring(2));
                media = null;
            } else if (line.contains(" CN/")) {
                say("    voice activity detection: %s", line);
            }
        }
    }
}
