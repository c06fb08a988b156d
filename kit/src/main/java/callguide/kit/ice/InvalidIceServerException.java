package callguide.kit.ice;

/** An ICE server entry that would crash native code, refused in Java with the reason. */
public class InvalidIceServerException extends IllegalArgumentException {
    public InvalidIceServerException(String message) {
        super(message);
    }
}
