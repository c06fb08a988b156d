package callguide.relay;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM certificates and private keys, read and written with BouncyCastle (no provider
 * registered: the JDK's own does the cryptography). Every problem with a file is an
 * {@link IllegalArgumentException} whose one-line message names the file and what is wrong.
 */
final class PemFiles {

    private PemFiles() {}

    /** {@code --tls-cert} and {@code --tls-key}: both readable, matching, and the certificate valid now. */
    static RelayCertificate readGiven(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(keyFile);
        requireMatch(chain.get(0), certificateFile, key, keyFile);
        try {
            chain.get(0).checkValidity();
        } catch (CertificateExpiredException e) {
            throw bad(
                    certificateFile,
                    "the certificate expired on " + chain.get(0).getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw bad(
                    certificateFile,
                    "the certificate is not valid before "
                            + chain.get(0).getNotBefore().toInstant());
        }
        return new RelayCertificate(chain, key, "from " + certificateFile);
    }

    /** Every certificate in {@code file}, in order (leaf first). */
    static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        boolean sawKey = false;
        String text = read(file);
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                } else if (isKey(o)) {
                    sawKey = true;
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw bad(file, "not a readable PEM certificate (" + oneLine(e) + ")");
        }
        if (chain.isEmpty()) {
            throw bad(
                    file,
                    sawKey
                            ? "holds a private key, not a certificate (are --tls-cert and --tls-key swapped?)"
                            : "holds no certificate (expected PEM text: -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    /**
     * The private key in {@code file}: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code
     * EC PRIVATE KEY}).
     */
    static PrivateKey readPrivateKey(Path file) {
        boolean sawCertificate = false;
        boolean encrypted = false;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        String text = read(file);
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(
                            pair.getPrivateKeyInfo()); // SEC1 EC or PKCS#1 RSA; its public half may be absent
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    encrypted = true;
                } else if (o instanceof X509CertificateHolder) {
                    sawCertificate = true;
                }
                // anything else (the EC PARAMETERS before an EC key, say) is not the key: read on
            }
        } catch (IOException | RuntimeException e) {
            throw bad(file, "not a readable PEM private key (" + oneLine(e) + ")");
        }
        if (encrypted) {
            throw bad(
                    file,
                    "the private key is encrypted; give it unencrypted (openssl pkey -in " + file + " -out key.pem)");
        }
        throw bad(
                file,
                sawCertificate
                        ? "holds a certificate, not a private key (are --tls-cert and --tls-key swapped?)"
                        : "holds no private key (expected PEM text: -----BEGIN PRIVATE KEY-----, "
                                + "RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /**
     * Fails unless {@code key} is the private half of {@code certificate}'s public key: it signs, the certificate
     * verifies.
     */
    static void requireMatch(X509Certificate certificate, Path certificateFile, PrivateKey key, Path keyFile) {
        if (!matches(key, certificate.getPublicKey())) {
            throw bad(keyFile, "this private key does not belong to the certificate in " + certificateFile);
        }
    }

    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Writes {@code certificate} to {@code file} as PEM, replacing it at once (never half written). */
    static void writeCertificate(Path file, X509Certificate certificate) {
        replace(file, pem(certificate), false);
    }

    /**
     * Writes {@code key} to {@code file} as PKCS#8 PEM, readable by its owner only where the file system has POSIX
     * permissions.
     */
    static void writePrivateKey(Path file, PrivateKey key) {
        try {
            replace(file, pem(new JcaPKCS8Generator(key, null)), true);
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encode the relay's private key: " + e.getMessage(), e);
        }
    }

    /** When {@code file} was last written, or null when it cannot be told. */
    static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void replace(Path file, String text, boolean ownerOnly) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(temp);
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
            if (ownerOnly && posix) {
                // Created owner-only, so the key is never readable by others, not even for a moment.
                Files.createFile(
                        temp,
                        PosixFilePermissions.asFileAttribute(
                                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            if (ownerOnly && posix) {
                Files.setPosixFilePermissions(temp, EnumSet.of(PosixFilePermission.OWNER_READ));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw bad(file, "cannot be written (" + oneLine(e) + ")");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(
                    file, StandardCharsets.ISO_8859_1); // PEM is ASCII; any byte reads, so garbage fails as garbage
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (AccessDeniedException e) {
            throw bad(file, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + oneLine(e) + ")");
        }
    }

    private static boolean isKey(Object o) {
        return o instanceof PrivateKeyInfo
                || o instanceof PEMKeyPair
                || o instanceof PKCS8EncryptedPrivateKeyInfo
                || o instanceof PEMEncryptedKeyPair;
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
