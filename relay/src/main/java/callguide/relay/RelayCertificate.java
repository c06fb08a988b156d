package callguide.relay;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The certificate (chain, leaf first) and private key the relay serves HTTPS and WSS with.
 *
 * @param chain  the leaf certificate, then any intermediates
 * @param key    the leaf's private key
 * @param origin where it came from, for the relay's announcement ("self-signed, kept in .workshop/tls")
 */
record RelayCertificate(List<X509Certificate> chain, PrivateKey key, String origin) {

    RelayCertificate {
        chain = List.copyOf(chain);
    }

    /** The certificate {@code tls} asks for, for a relay bound to {@code host}; null when TLS is off. */
    static RelayCertificate of(TlsSettings tls, String host) {
        return switch (tls.source()) {
            case OFF -> null;
            case SELF_SIGNED -> SelfSignedCertificate.keep(tls.directory(), CertificateNames.forHost(host));
            case FILES -> PemFiles.readGiven(tls.certificate(), tls.privateKey());
        };
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** SHA-256 of the leaf's DER, as {@code openssl x509 -noout -fingerprint -sha256} prints it: {@code AB:CD:...}. */
    String fingerprint() {
        try {
            return colonHex(sha256(leaf().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the relay's certificate cannot be encoded", e);
        }
    }

    /**
     * Base64 SHA-256 of the leaf's SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes.
     */
    String spkiHash() {
        return Base64.getEncoder().encodeToString(sha256(leaf().getPublicKey().getEncoded()));
    }

    /** An in-memory key store holding this certificate and key under {@code password}, for Jetty. */
    KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("relay", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the relay's certificate in a key store: " + e.getMessage(), e);
        }
    }

    static String colonHex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(bytes);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
