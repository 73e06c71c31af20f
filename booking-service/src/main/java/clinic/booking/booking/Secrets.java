package clinic.booking.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** References and manage tokens: how they are made, stored and compared. */
final class Secrets {
    /** No 0/O, 1/I/L: a reference read out over the phone cannot be misheard as another. */
    static final String REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    static String newReference() {
        StringBuilder sb = new StringBuilder("BK-");
        for (int i = 0; i < 6; i++) sb.append(REFERENCE_ALPHABET.charAt(RANDOM.nextInt(REFERENCE_ALPHABET.length())));
        return sb.toString();
    }

    /** 128 random bits, URL-safe: the customer's only key to their booking. */
    static String newManageToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** Constant time, so response timing says nothing about how much of a guess was right. */
    static boolean tokenMatches(String presented, byte[] storedHash) {
        if (presented == null || storedHash == null) return false;
        return MessageDigest.isEqual(sha256(presented), storedHash);
    }
}
