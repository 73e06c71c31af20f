package clinic.booking.booking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Remembered answers to {@code POST /api/bookings} by Idempotency-Key. The stored answer holds the
 * manage token, which must not be readable from the database: it is encrypted with a key derived
 * from the client's Idempotency-Key, and rows are found by a different hash of that key. Only a
 * caller who presents the key again can read the answer back.
 */
@Component
class IdempotencyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DatabaseClient db;

    IdempotencyStore(DatabaseClient db) {
        this.db = db;
    }

    /** A remembered answer: the hash of the request it answered, and the response. */
    record Stored(String requestHash, int status, String location, byte[] body) {}

    Mono<Stored> find(String key) {
        return db.sql("select request_hash, response_status, location, response_body from idempotency_key where key_hash = :k")
                .bind("k", keyHash(key))
                .map(r -> new Stored(r.get("request_hash", String.class), r.get("response_status", Integer.class),
                        r.get("location", String.class), toBytes(r.get("response_body"))))
                .one()
                .map(s -> new Stored(s.requestHash(), s.status(), s.location(), decrypt(key, s.body())));
    }

    /** Must run in the booking's transaction: a second request with the key waits here, then fails. */
    Mono<Void> save(String key, String requestHash, int status, String location, byte[] body, UUID bookingId,
                    Instant at) {
        return db.sql("""
                        insert into idempotency_key (key_hash, request_hash, response_status, location, response_body,
                          booking_id, created_at)
                        values (:k, :h, :s, :l, :b, :booking, :at)""")
                .bind("k", keyHash(key)).bind("h", requestHash).bind("s", status).bind("l", location)
                .bind("b", ByteBuffer.wrap(encrypt(key, body))).bind("booking", bookingId)
                .bind("at", BookingRepository.utc(at))
                .fetch().rowsUpdated().then();
    }


    private static String keyHash(String key) {
        return HexFormat.of().formatHex(Secrets.sha256("booking-idempotency-id|" + key));
    }

    private static SecretKeySpec aesKey(String key) {
        return new SecretKeySpec(Secrets.sha256("booking-idempotency-enc|" + key), "AES");
    }

    private static byte[] encrypt(String key, byte[] plain) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aesKey(key), new GCMParameterSpec(128, iv));
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, iv.length + sealed.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the idempotent response", e);
        }
    }

    private static byte[] decrypt(String key, byte[] stored) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, aesKey(key), new GCMParameterSpec(128, stored, 0, 12));
            return c.doFinal(stored, 12, stored.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt the idempotent response", e);
        }
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof byte[] b) return b;
        ByteBuffer buf = ((ByteBuffer) value).duplicate();
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
