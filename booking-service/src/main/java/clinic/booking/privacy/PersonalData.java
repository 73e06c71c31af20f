package clinic.booking.privacy;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** What booking-service holds about one person, found by their email address (case-insensitive). */
@Service
public class PersonalData {
    private final DatabaseClient db;

    PersonalData(DatabaseClient db) {
        this.db = db;
    }

    /** One booking as the export shows it: the person's own data and what they booked. */
    public record ExportedBooking(String reference, String status, String locationId, String treatmentId,
                                  String therapistId, Instant startsAt, Instant endsAt, long pricePence,
                                  long discountPence, long totalPence, String currency, String promoCode,
                                  String name, String email, String phone, String notes, Instant createdAt,
                                  Instant cancelledAt, String cancelledBy, String cancelReason) {}

    public record Export(List<ExportedBooking> bookings) {}

    public Mono<Export> export(String email) {
        return db.sql("""
                        select * from booking
                        where lower(customer_email) = lower(:email) and anonymised_at is null
                        order by starts_at desc""")
                .bind("email", email.trim())
                .map(PersonalData::exported)
                .all().collectList().map(Export::new);
    }

    private static ExportedBooking exported(Readable r) {
        return new ExportedBooking(r.get("reference", String.class), r.get("status", String.class),
                r.get("location_id", String.class), r.get("treatment_id", String.class),
                r.get("therapist_id", String.class), instant(r, "starts_at"), instant(r, "ends_at"),
                r.get("price_pence", Long.class), r.get("discount_pence", Long.class), r.get("total_pence", Long.class),
                r.get("currency", String.class), r.get("promo_code", String.class), r.get("customer_name", String.class),
                r.get("customer_email", String.class), r.get("customer_phone", String.class), r.get("notes", String.class),
                instant(r, "created_at"), instant(r, "cancelled_at"), r.get("cancelled_by", String.class),
                r.get("cancel_reason", String.class));
    }

    private static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
