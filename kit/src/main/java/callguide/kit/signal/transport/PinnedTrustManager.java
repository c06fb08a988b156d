package callguide.kit.signal.transport;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate: the one whose DER encoding has the pinned SHA-256.
 *
 * <p>Hostname verification is deliberately skipped. The JDK leaves it to an
 * {@link X509ExtendedTrustManager}, and this one does not do it: a pin names the one certificate
 * trusted, which is stronger than any name check (a relay's self-signed certificate reached by an
 * address it does not list is still exactly that certificate). Nothing else is trusted, ever.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {

    /** The relay presented another certificate than the pinned one. */
    static final class Mismatch extends CertificateException {
        Mismatch(String message) {
            super(message);
        }
    }

    /** 64 upper-case hex digits. */
    private final String pin;

    PinnedTrustManager(String pin) {
        this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, engine == null ? null : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, socket == null ? null : socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null);
    }

    private void check(X509Certificate[] chain, String relay) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException(
                    "the relay" + (relay == null ? "" : " at " + relay) + " presented no certificate");
        }
        String presented = sha256(chain[0]);
        if (!presented.equals(pin)) {
            throw new Mismatch(
                    "the relay" + (relay == null ? "" : " at " + relay) + " presented a certificate with SHA-256 "
                            + RelayHttp.colons(presented) + ", not the pinned " + RelayHttp.colons(pin));
        }
    }

    private static String sha256(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return java.util.HexFormat.of()
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a relay client authenticates no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a relay client authenticates no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a relay client authenticates no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
