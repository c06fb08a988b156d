package callguide.relay;

import java.nio.file.Path;
import java.util.Objects;

/**
 * HTTPS and WSS on the relay's port, for browsers on other machines (a page served over plain
 * HTTP from another machine is not a secure context, so it gets no camera or microphone).
 *
 * <ul>
 *   <li>{@link #off()}: plain HTTP and WS;</li>
 *   <li>{@link #selfSigned(Path)}: a self-signed certificate kept in a directory, made on the first
 *       start and reused after (the same fingerprint across restarts), remade when it is missing,
 *       unreadable, expired or does not cover the address the relay binds;</li>
 *   <li>{@link #files(Path, Path)}: a given PEM certificate (chain) and its PEM private key.</li>
 * </ul>
 *
 * @param source      which of the three
 * @param directory   where the self-signed certificate is kept ({@link Source#SELF_SIGNED} only)
 * @param certificate the PEM certificate, leaf first ({@link Source#FILES} only)
 * @param privateKey  the PEM private key of that certificate: PKCS#8, PKCS#1 RSA or SEC1 EC ({@link Source#FILES} only)
 */
public record TlsSettings(Source source, Path directory, Path certificate, Path privateKey) {

    public enum Source {
        OFF,
        SELF_SIGNED,
        FILES
    }

    public TlsSettings {
        Objects.requireNonNull(source, "source");
        if (source == Source.SELF_SIGNED && directory == null) {
            throw new IllegalArgumentException("a self-signed certificate needs a directory to be kept in");
        }
        if (source == Source.FILES && (certificate == null || privateKey == null)) {
            throw new IllegalArgumentException("a given certificate needs both its file and its private key's file");
        }
    }

    public static TlsSettings off() {
        return new TlsSettings(Source.OFF, null, null, null);
    }

    /** A self-signed certificate kept in {@code directory} (created if need be). */
    public static TlsSettings selfSigned(Path directory) {
        return new TlsSettings(Source.SELF_SIGNED, directory, null, null);
    }

    /** The certificate (chain, leaf first) in PEM file {@code certificate}, its key in PEM file {@code privateKey}. */
    public static TlsSettings files(Path certificate, Path privateKey) {
        return new TlsSettings(Source.FILES, null, certificate, privateKey);
    }

    public boolean enabled() {
        return source != Source.OFF;
    }
}
