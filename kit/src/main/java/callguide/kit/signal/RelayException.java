package callguide.kit.signal;

/** The relay refused something, with one of the protocol's error codes (see {@link ErrorCodes}). */
public class RelayException extends RuntimeException {
    private final String code;

    public RelayException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
