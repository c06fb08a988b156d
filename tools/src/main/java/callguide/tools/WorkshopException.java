package callguide.tools;

/** What the workshop says, as {@code workshop: MESSAGE} on standard error, before it exits with {@link #exitCode()}. */
public final class WorkshopException extends RuntimeException {
    private final int exitCode;

    public WorkshopException(String message) {
        this(message, 2);
    }

    public WorkshopException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
