package callguide.kit.rtc;

/** A session description that webrtc-java refused: malformed SDP, or the wrong state for it. */
public class InvalidDescriptionException extends RuntimeException {
    public InvalidDescriptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
