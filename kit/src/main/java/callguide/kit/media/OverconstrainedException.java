package callguide.kit.media;

/** The browser's {@code OverconstrainedError}: no device can meet a constraint; names which one. */
public class OverconstrainedException extends RuntimeException {
    private final String constraint;

    public OverconstrainedException(String constraint, String message) {
        super("constraint '" + constraint + "' cannot be met: " + message);
        this.constraint = constraint;
    }

    public String constraint() {
        return constraint;
    }
}
