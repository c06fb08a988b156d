package callguide.relay;

import callguide.kit.signal.ErrorCodes;

/**
 * The relay says no: one of the protocol's error codes ({@link ErrorCodes}) and a message a
 * learner can act on. It goes back to whoever caused it and to nobody else: as an {@code error}
 * message on a WebSocket, as the body of an HTTP 4xx on long polling. It is an expected answer to
 * bad input, so it carries no stack trace.
 */
final class Refusal extends RuntimeException {
    private final String code;
    private final boolean ends;
    private final int status;

    Refusal(String code, String message) {
        this(code, message, false);
    }

    /** {@code ends}: after this answer the peer is disconnected (it kept sending while rate-limited). */
    Refusal(String code, String message, boolean ends) {
        super(message, null, false, false);
        this.code = code;
        this.ends = ends;
        this.status = 0;
    }

    /**
     * A refusal carried by {@code status} rather than its code's usual one (421 for a Host the relay does not answer
     * to).
     */
    Refusal(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.ends = false;
        this.status = status;
    }

    String code() {
        return code;
    }

    /** True when the peer that caused it is disconnected once it has its answer. */
    boolean ends() {
        return ends;
    }

    /** The HTTP status that carries this refusal on the long-polling transport. */
    int httpStatus() {
        if (status != 0) {
            return status;
        }
        return switch (code) {
            case ErrorCodes.TOO_LARGE -> 413;
            case ErrorCodes.RATE_LIMITED -> 429;
            case ErrorCodes.NO_SUCH_PEER -> 404;
            case ErrorCodes.FORBIDDEN -> 403;
            case ErrorCodes.ROOM_FULL, ErrorCodes.PEER_TAKEN, ProtocolCodes.REJOIN_REFUSED -> 409;
            case ProtocolCodes.ADDRESS_LIMIT -> 429;
            case ProtocolCodes.MAILBOX_FULL -> 503;
            default -> 400; // bad-json, bad-envelope, unknown-type, bad-id
        };
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
