package callguide.relay;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable tokens (a rejoin secret, a polling token), from a generator of each thread's own: the platform's
 * default reads {@code /dev/urandom} under one lock for the whole JVM, and a class joining at once queued on it.
 */
final class Secrets {
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Secrets::generator);

    private Secrets() {}

    /** {@code bytes} random bytes, URL-safe Base64 without padding. */
    static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.get().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** NIST's DRBG, seeded once from the system: an instance of its own needs no lock shared with other threads. */
    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException notHere) {
            return new SecureRandom();
        }
    }
}
