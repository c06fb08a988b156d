package callguide.kit.signal;

import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import java.util.Locale;

/**
 * An offer or an answer in the browser's JSON shape, {@code {"type": "offer", "sdp": "v=0..."}}.
 * webrtc-java's own class has {@code sdpType: OFFER}: serialising it as it is gives JSON a
 * browser refuses, so it is mapped both ways here.
 */
public record SessionDescriptionMessage(String type, String sdp) {

    public static SessionDescriptionMessage from(RTCSessionDescription description) {
        String type = switch (description.sdpType) {
            case OFFER -> "offer";
            case ANSWER -> "answer";
            case PR_ANSWER -> "pranswer";
            case ROLLBACK -> "rollback";
        };
        return new SessionDescriptionMessage(type, description.sdp);
    }

    /** The webrtc-java description; a clear {@link IllegalArgumentException} for a type or sdp that is missing. */
    public RTCSessionDescription toRtc() {
        if (type == null) {
            throw new IllegalArgumentException("session description without a type (expected offer or answer)");
        }
        if (sdp == null) {
            throw new IllegalArgumentException("session description of type " + type + " without an sdp");
        }
        RTCSdpType sdpType = switch (type.toLowerCase(Locale.ROOT)) {
            case "offer" -> RTCSdpType.OFFER;
            case "answer" -> RTCSdpType.ANSWER;
            case "pranswer" -> RTCSdpType.PR_ANSWER;
            case "rollback" -> RTCSdpType.ROLLBACK;
            default ->
                throw new IllegalArgumentException("unknown session description type '" + type
                        + "' (expected offer, answer, pranswer or rollback)");
        };
        return new RTCSessionDescription(sdpType, sdp);
    }

    /**
     * The ICE generation this description starts: its first {@code a=ice-ufrag:} value (every section shares it
     * under BUNDLE), or null without one. An ICE restart gives the next description a new one.
     */
    public String iceUfrag() {
        if (sdp == null) {
            return null;
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return line.substring("a=ice-ufrag:".length()).trim();
            }
        }
        return null;
    }
}
