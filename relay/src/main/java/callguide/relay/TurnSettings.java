package callguide.relay;

/** The TURN server {@code /config} names. {@link #off()}: none. */
public record TurnSettings(boolean enabled) {

    public static TurnSettings off() {
        return new TurnSettings(false);
    }
}
