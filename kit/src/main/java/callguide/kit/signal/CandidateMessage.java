package callguide.kit.signal;

import dev.onvoid.webrtc.RTCIceCandidate;

/**
 * An ICE candidate in the browser's JSON shape:
 * {@code {"candidate": "candidate:...", "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "..."}}.
 * A browser may name {@code sdpMid} only and adds {@code usernameFragment}; both are accepted.
 * webrtc-java's {@link RTCIceCandidate} holds the candidate line in {@code sdp}, so it is mapped here.
 */
public record CandidateMessage(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

    public static CandidateMessage from(RTCIceCandidate candidate) {
        return new CandidateMessage(candidate.sdp, candidate.sdpMid, candidate.sdpMLineIndex, null);
    }

    /**
     * The webrtc-java candidate. A clear {@link IllegalArgumentException} where native code would
     * fail late (a {@code java.lang.Error} from {@code addIceCandidate}) or silently: no candidate
     * line, a line that is not {@code candidate:FOUNDATION COMPONENT PROTOCOL PRIORITY ADDRESS PORT
     * typ TYPE ...}, or neither {@code sdpMid} nor {@code sdpMLineIndex}.
     */
    public RTCIceCandidate toRtc() {
        if (candidate == null || candidate.isBlank()) {
            throw new IllegalArgumentException("candidate message without a candidate line: " + this);
        }
        String[] fields = fields();
        if (!fields[0].startsWith("candidate:")
                || fields.length < 8
                || !fields[6].equals("typ")
                || !fields[1].matches("\\d+")
                || !fields[3].matches("\\d+")
                || !fields[5].matches("\\d+")) {
            throw new IllegalArgumentException("malformed candidate line '" + candidate + "': expected "
                    + "candidate:FOUNDATION COMPONENT PROTOCOL PRIORITY ADDRESS PORT typ TYPE ...");
        }
        if (sdpMid == null && sdpMLineIndex == null) {
            throw new IllegalArgumentException("candidate names neither sdpMid nor sdpMLineIndex: " + this);
        }
        // libwebrtc looks the media section up by mid when it has one, by index otherwise.
        return new RTCIceCandidate(sdpMid == null ? "" : sdpMid, sdpMLineIndex == null ? 0 : sdpMLineIndex, candidate);
    }

    /**
     * The address in the candidate line ({@code candidate:foundation component protocol priority ADDRESS port typ
     * ...}).
     */
    public String address() {
        String[] fields = fields();
        return fields.length > 4 ? fields[4] : null;
    }

    /** The candidate type: {@code host}, {@code srflx}, {@code prflx} or {@code relay}. */
    public String candidateType() {
        String[] fields = fields();
        for (int i = 0; i + 1 < fields.length; i++) {
            if (fields[i].equals("typ")) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /**
     * The ICE generation this candidate belongs to: {@code usernameFragment} (a browser's), else the line's
     * {@code ufrag} field (libwebrtc's); null with neither.
     */
    public String iceUfrag() {
        if (usernameFragment != null && !usernameFragment.isEmpty()) {
            return usernameFragment;
        }
        String[] fields = fields();
        for (int i = 0; i + 1 < fields.length; i++) {
            if (fields[i].equals("ufrag")) {
                return fields[i + 1];
            }
        }
        return null;
    }

    private String[] fields() {
        return candidate == null ? new String[0] : candidate.trim().split("\\s+");
    }
}
