package callguide.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN REST credentials, the scheme coturn checks with {@code use-auth-secret}
 * (draft-uberti-behave-turn-rest): {@code username = "<unix expiry seconds>:<anything>"},
 * {@code credential = base64(HMAC-SHA1(secret, username))}. coturn recomputes the credential
 * from the username and its {@code static-auth-secret}, and refuses a username whose expiry has passed,
 * so the relay hands out short-lived credentials without telling coturn about them.
 */
record TurnCredentials(String username, String credential) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fresh credentials valid until {@code now + ttl}; the random tag makes each set distinct. */
    static TurnCredentials issue(String secret, Duration ttl, Instant now) {
        byte[] tag = new byte[6];
        RANDOM.nextBytes(tag);
        String username =
                now.plus(ttl).getEpochSecond() + ":callguide-" + HexFormat.of().formatHex(tag);
        return new TurnCredentials(username, sign(secret, username));
    }

    /** {@code base64(HMAC-SHA1(secret, username))}, coturn's password for {@code username}. */
    static String sign(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is missing from this JVM", e);
        }
    }

    /** The expiry {@code username} carries. */
    static Instant expiry(String username) {
        return Instant.ofEpochSecond(Long.parseLong(username.substring(0, username.indexOf(':'))));
    }
}
