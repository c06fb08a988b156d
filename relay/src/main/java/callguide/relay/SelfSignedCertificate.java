package callguide.relay;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The relay's self-signed certificate, kept in a directory ({@value #CERTIFICATE_FILE},
 * {@value #KEY_FILE}) so that its fingerprint, which learners pin and browsers remember an
 * exception for, stays the same across restarts. Remade when missing, unreadable, expired (or
 * expiring within {@link #RENEW_BEFORE}), or when it does not cover the names the relay is reached by.
 */
final class SelfSignedCertificate {
    static final String CERTIFICATE_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";
    /** About a year: long enough for a term of workshops, short enough that browsers accept it. */
    static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate that would expire during the day's workshop is remade at start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private SelfSignedCertificate() {}

    /** The certificate kept in {@code directory} if it is still good for {@code names}, else a new one, kept there. */
    static RelayCertificate keep(Path directory, CertificateNames names) {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        String why;
        if (!Files.exists(certificateFile) || !Files.exists(keyFile)) {
            why = "made now";
        } else {
            try {
                X509Certificate kept =
                        PemFiles.readCertificates(certificateFile).get(0);
                PrivateKey key = PemFiles.readPrivateKey(keyFile);
                why = problemWith(kept, key, names);
                if (why == null) {
                    Instant made = PemFiles.modified(certificateFile);
                    return new RelayCertificate(
                            List.of(kept),
                            key,
                            "self-signed, kept in " + directory
                                    + (made == null
                                            ? ""
                                            : " since " + made.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                                    + ", valid until " + kept.getNotAfter().toInstant());
                }
            } catch (IllegalArgumentException unreadable) {
                why = "remade: " + unreadable.getMessage();
            }
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException(directory + ": cannot keep the relay's certificate there (" + e + ")");
        }
        RelayCertificate made = make(names, Instant.now());
        PemFiles.writePrivateKey(keyFile, made.key());
        PemFiles.writeCertificate(certificateFile, made.leaf());
        return new RelayCertificate(made.chain(), made.key(), "self-signed, " + why + ", kept in " + directory);
    }

    /** Null when {@code certificate} and {@code key} are still good for {@code names}, else why not. */
    private static String problemWith(X509Certificate certificate, PrivateKey key, CertificateNames names) {
        Instant now = Instant.now();
        if (!PemFiles.matches(key, certificate.getPublicKey())) {
            return "remade: the kept key did not belong to the kept certificate";
        }
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "remade: the kept one expired on "
                    + certificate.getNotAfter().toInstant();
        }
        if (certificate.getNotBefore().toInstant().isAfter(now)) {
            return "remade: the kept one was not valid before "
                    + certificate.getNotBefore().toInstant();
        }
        List<String> missing = names.missingFrom(certificate);
        return missing.isEmpty() ? null : "remade: the kept one did not cover " + String.join(", ", missing);
    }

    /**
     * A new EC P-256 key and a certificate for it, signed by itself, covering {@code names}, valid from {@code now} for
     * {@link #VALIDITY}.
     */
    static RelayCertificate make(CertificateNames names, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=callguide relay");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), // positive and unpredictable
                    Date.from(
                            now.minus(Duration.ofHours(1))), // a laptop whose clock is a little behind still accepts it
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    pair.getPublic());
            List<GeneralName> alternatives = new ArrayList<>();
            names.dnsNames().forEach(n -> alternatives.add(new GeneralName(GeneralName.dNSName, n)));
            for (InetAddress address : names.addresses()) {
                alternatives.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
            }
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new RelayCertificate(List.of(certificate), pair.getPrivate(), "self-signed, made now");
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make the relay's self-signed certificate: " + e.getMessage(), e);
        }
    }
}
