package clinic.kit.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * The {@code Idempotency-Key} header as the contract defines it for every endpoint that honours it
 * (docs/api/openapi.yaml {@code components.parameters.IdempotencyKey}): 1 to 200 visible ASCII
 * characters; the same key with another body is 422 {@code idempotency_key_reused}. Where the answers
 * are kept stays with each service (its own table, in its own Flyway migration): booking-service keeps
 * the whole response encrypted, callback-service only the id of the request it made.
 */
public final class IdempotencyKeys {
    /** The header's name. */
    public static final String HEADER = "Idempotency-Key";
    /** Visible ASCII only: a key is compared byte for byte and may end up in a log line or a hash. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private IdempotencyKeys() {}

    /** The key unchanged (null when the header is absent), or a 400 {@code validation_failed} naming the header. */
    public static String checked(String key) {
        if (key != null && !KEY.matcher(key).matches()) {
            throw ClinicException.invalid(HEADER, "must be 1 to 200 visible ASCII characters");
        }
        return key;
    }

    /** The fingerprint of a request's canonical body, stored beside the key to tell a replay from a reuse. */
    public static String requestHash(byte[] canonicalBody) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBody));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The key was already used with a different request body. */
    public static final class Reused extends ClinicException {
        public Reused() {
            super(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request body");
        }
    }
}
