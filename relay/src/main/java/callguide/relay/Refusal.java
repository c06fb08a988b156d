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

    Refusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }

    /** The HTTP status that carries this refusal on the long-polling transport. */
    int httpStatus() {
        return switch (code) {
            case ErrorCodes.TOO_LARGE -> 413;
            case ErrorCodes.RATE_LIMITED -> 429;
            case ErrorCodes.NO_SUCH_PEER -> 404;
            case ErrorCodes.FORBIDDEN -> 403;
            case ErrorCodes.ROOM_FULL, ErrorCodes.PEER_TAKEN -> 409;
            default -> 400; // bad-json, bad-envelope, unknown-type, bad-id
        };
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
