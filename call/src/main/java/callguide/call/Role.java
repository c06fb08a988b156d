package callguide.call;

import java.util.Locale;

/** Which side of the call a peer is. */
public enum Role {
    CALLER,
    CALLEE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("role must be caller or callee, not '" + text + "'");
        }
    }
}
