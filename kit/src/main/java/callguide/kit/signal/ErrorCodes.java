package callguide.kit.signal;

/** The {@code code} values of an {@code error} message. */
public final class ErrorCodes {
    public static final String BAD_JSON = "bad-json";
    public static final String BAD_ENVELOPE = "bad-envelope";
    public static final String UNKNOWN_TYPE = "unknown-type";
    public static final String TOO_LARGE = "too-large";
    public static final String RATE_LIMITED = "rate-limited";
    public static final String NO_SUCH_PEER = "no-such-peer";
    public static final String ROOM_FULL = "room-full";
    public static final String PEER_TAKEN = "peer-taken";
    public static final String BAD_ID = "bad-id";
    public static final String FORBIDDEN = "forbidden";

    private ErrorCodes() {}
}
