package clinic.booking.booking;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * How to reach a booking's customer, for notification-service at the moment it writes to them
 * (events carry ids only: docs/adr/0007). An anonymised booking answers without contact details,
 * so mail and reminders already on their way for an erased customer are dropped.
 */
@Service
public class CustomerContacts {
    private final DatabaseClient db;

    CustomerContacts(DatabaseClient db) {
        this.db = db;
    }

    /** {@code erased}: the booking's personal data is gone; name, email and phone are then null. */
    public record Contact(String bookingId, String reference, String status, String name, String email, String phone,
                          boolean erased) {}

    /** A freshly minted manage token for the confirmation mail; null when the booking was anonymised. */
    public record ManageLink(String bookingId, String reference, String manageToken) {}

    public Mono<Contact> contact(UUID bookingId) {
        return db.sql("""
                        select id::text, reference, status, customer_name, customer_email, customer_phone,
                               anonymised_at is not null as erased
                        from booking where id = :id""")
                .bind("id", bookingId)
                .map(r -> new Contact(r.get("id", String.class), r.get("reference", String.class),
                        r.get("status", String.class), r.get("customer_name", String.class),
                        r.get("customer_email", String.class), r.get("customer_phone", String.class),
                        Boolean.TRUE.equals(r.get("erased", Boolean.class))))
                .one();
    }

    /**
     * Mints a token and stores only its hash beside the customer's own (both open the booking).
     * A second call replaces the first: a mail whose handler rolled back never went, so only the
     * link that is actually mailed keeps working.
     */
    public Mono<ManageLink> issueMailToken(UUID bookingId) {
        String token = Secrets.newManageToken();
        return db.sql("""
                        update booking set mail_token_hash = :hash
                        where id = :id and anonymised_at is null
                        returning id::text, reference""")
                .bind("id", bookingId).bind("hash", ByteBuffer.wrap(Secrets.sha256(token)))
                .map(r -> new ManageLink(r.get("id", String.class), r.get("reference", String.class), token))
                .one()
                .switchIfEmpty(Mono.defer(() -> contact(bookingId)
                        .map(c -> new ManageLink(c.bookingId(), c.reference(), null))));
    }
}
