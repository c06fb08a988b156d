package callguide.relay;

/** HTTPS and WSS on the relay's port. {@link #off()}: plain HTTP and WS. */
public record TlsSettings(boolean enabled) {

    public static TlsSettings off() {
        return new TlsSettings(false);
    }
}
