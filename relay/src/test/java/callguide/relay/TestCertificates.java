package callguide.relay;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates the tests make themselves with BouncyCastle, the way an instructor's own CA or
 * {@code openssl req -x509} would: any key type, any validity, any names, any PEM key format.
 */
final class TestCertificates {

    /**
     * How a private key is written: PKCS#8 ({@code PRIVATE KEY}) or the key type's own (PKCS#1 {@code RSA PRIVATE KEY},
     * SEC1 {@code EC PRIVATE KEY}).
     */
    enum KeyFormat {
        PKCS8,
        TRADITIONAL
    }

    record Made(X509Certificate certificate, KeyPair keys) {
        /** As openssl prints it: {@code AB:CD:...}, computed here independently of the relay's code. */
        String fingerprint() throws Exception {
            return HexFormat.ofDelimiter(":")
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }

        void writeCertificate(Path file) throws Exception {
            Files.writeString(file, pem(certificate));
        }

        void writeKey(Path file, KeyFormat format) throws Exception {
            Files.writeString(
                    file,
                    format == KeyFormat.PKCS8
                            ? pem(new JcaPKCS8Generator(keys.getPrivate(), null))
                            : keys.getPrivate().getAlgorithm().equals("EC") ? sec1(keys) : pem(keys.getPrivate()));
        }

        /**
         * {@code EC PRIVATE KEY} as openssl writes it, with the curve and the public key inside
         * (the JDK's PKCS#8 encoding keeps the curve outside, so a plain conversion would drop it).
         */
        private static String sec1(KeyPair keys) throws Exception {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ECPrivateKey full = new ECPrivateKey(
                    256,
                    inner.getKey(),
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
                            .getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return pem(new PemObject("EC PRIVATE KEY", full.getEncoded()));
        }
    }

    private TestCertificates() {}

    /** A self-signed certificate for 127.0.0.1 and localhost, valid for a day around now. */
    static Made make(String keyAlgorithm) throws Exception {
        Instant now = Instant.now();
        return make(keyAlgorithm, now.minusSeconds(3600), now.plusSeconds(86_400), "127.0.0.1", "localhost");
    }

    /** {@code keyAlgorithm} EC (P-256) or RSA (2048); {@code names} IP literals or host names. */
    static Made make(String keyAlgorithm, Instant notBefore, Instant notAfter, String... names) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
        if (keyAlgorithm.equals("EC")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=a test's own certificate");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore),
                Date.from(notAfter),
                subject,
                keys.getPublic());
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            alternatives.add(
                    CertificateNames.isLiteral(name)
                            ? new GeneralName(
                                    GeneralName.iPAddress,
                                    new DEROctetString(
                                            InetAddress.getByName(name).getAddress()))
                            : new GeneralName(GeneralName.dNSName, name));
        }
        builder.addExtension(
                Extension.subjectAlternativeName, false, new GeneralNames(alternatives.toArray(GeneralName[]::new)));
        String signature = keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
        return new Made(certificate, keys);
    }

    private static String pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
