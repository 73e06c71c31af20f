package clinic.gateway.issuer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts private signing keys before they reach the database (AES-256-GCM, a fresh 12-byte IV
 * per key, the kid as associated data so a row's ciphertext cannot be moved to another kid). A
 * copy of the database alone is not enough to mint tokens.
 */
final class KeyCipher {
    /** The local profile's key: refused anywhere else. */
    static final String LOCAL_KEY = "bG9jYWwtb25seS1rZXktZW5jcnlwdGlvbi1rZXkhISE=";
    private static final int IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    KeyCipher(String base64Key, boolean local) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalStateException("No key-encryption key: set CLINIC_KEY_ENCRYPTION_KEY "
                    + "(base64 of 32 random bytes, e.g. openssl rand -base64 32)");
        }
        if (!local && LOCAL_KEY.equals(base64Key.trim())) {
            throw new IllegalStateException("Refusing the local key-encryption key outside the 'local' profile: "
                    + "set CLINIC_KEY_ENCRYPTION_KEY to a key of your own");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("CLINIC_KEY_ENCRYPTION_KEY is not base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("CLINIC_KEY_ENCRYPTION_KEY must be 32 bytes (base64 of them)");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    byte[] encrypt(String kid, String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(iv, IV_BYTES + body.length);
            System.arraycopy(body, 0, out, IV_BYTES, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a signing key", e);
        }
    }

    String decrypt(String kid, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            c.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt signing key " + kid
                    + ": is CLINIC_KEY_ENCRYPTION_KEY the key it was stored with?", e);
        }
    }
}
