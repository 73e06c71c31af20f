package clinic.booking.booking;

import clinic.booking.booking.Booking.Labels;
import clinic.booking.booking.Booking.Status;
import clinic.contracts.booking.Customer;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class BookingRepository {
    private final DatabaseClient db;

    BookingRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Queues this transaction behind any other that is writing a booking for the same therapist,
     * until it ends. Two inserts that overlap each put their row in the exclusion constraint's index
     * and then wait for the other's transaction: a deadlock PostgreSQL breaks only after
     * {@code deadlock_timeout} (1 s), and under a burst for one therapist (fifty requests for one
     * slot) those seconds chain until requests time out. Queued, the second sees the first's row
     * committed and fails on the constraint at once. The constraint still decides; this only orders.
     */
    Mono<Void> lockTherapist(String therapistId) {
        return db.sql("select pg_advisory_xact_lock(" + THERAPIST_LOCK + ", hashtext(:therapist))")
                .bind("therapist", therapistId).then();
    }

    /** The first key of {@link #lockTherapist}'s advisory locks: this table's namespace among them. */
    private static final int THERAPIST_LOCK = 1_000_001;

    Mono<Void> insert(Booking b) {
        var spec = db.sql("""
                        insert into booking (id, reference, status, location_id, treatment_id, therapist_id, starts_at,
                          ends_at, blocked_until, customer_name, customer_email, customer_phone, notes, price_pence,
                          discount_pence, total_pence, currency, promo_code, offer_id, manage_token_hash, created_at,
                          updated_at, booked_by)
                        values (:id, :reference, :status, :location, :treatment, :therapist, :startsAt, :endsAt,
                          :blockedUntil, :name, :email, :phone, :notes, :price, :discount, :total, :currency, :promo,
                          :offer, :tokenHash, :createdAt, :updatedAt, :bookedBy)""")
                .bind("id", b.id()).bind("reference", b.reference()).bind("status", b.status().name())
                .bind("location", b.locationId()).bind("treatment", b.treatmentId()).bind("therapist", b.therapistId())
                .bind("startsAt", utc(b.startsAt())).bind("endsAt", utc(b.endsAt()))
                .bind("blockedUntil", utc(b.blockedUntil()))
                .bind("name", b.customer().name()).bind("email", b.customer().email())
                .bind("phone", b.customer().phone())
                .bind("price", b.pricePence()).bind("discount", b.discountPence()).bind("total", b.totalPence())
                .bind("currency", b.currency()).bind("tokenHash", java.nio.ByteBuffer.wrap(b.manageTokenHash()))
                .bind("createdAt", utc(b.createdAt())).bind("updatedAt", utc(b.updatedAt()));
        spec = b.notes() == null ? spec.bindNull("notes", String.class) : spec.bind("notes", b.notes());
        spec = b.promoCode() == null ? spec.bindNull("promo", String.class) : spec.bind("promo", b.promoCode());
        spec = b.bookedBy() == null ? spec.bindNull("bookedBy", String.class) : spec.bind("bookedBy", b.bookedBy());
        spec = b.offerId() == null ? spec.bindNull("offer", String.class) : spec.bind("offer", b.offerId());
        return spec.fetch().rowsUpdated().then();
    }

    /** The hash of the token minted for the confirmation mail, if one was (docs/adr/0007). */
    Mono<byte[]> mailTokenHash(UUID id) {
        return db.sql("select mail_token_hash from booking where id = :id and mail_token_hash is not null")
                .bind("id", id).map(r -> bytes(r.get("mail_token_hash"))).one();
    }

    Mono<Booking> byReference(String reference) {
        return db.sql("select * from booking where reference = :r").bind("r", reference)
                .map(BookingRepository::booking).one();
    }

    /** CONFIRMED to CANCELLED in one conditional statement: of two concurrent cancels only one wins. */
    Mono<Booking> cancel(UUID id, String by, Instant at) {
        return cancel(id, by, null, null, at);
    }

    /** As {@link #cancel(UUID, String, Instant)}, also naming the staff user and their reason (both may be null). */
    Mono<Booking> cancel(UUID id, String by, String user, String reason, Instant at) {
        return db.sql("""
                        update booking set status = 'CANCELLED', cancelled_at = :at, cancelled_by = :by, updated_at = :at,
                          cancelled_by_user = :user, cancel_reason = :reason
                        where id = :id and status = 'CONFIRMED'
                        returning *""")
                .bind("id", id).bind("by", by).bind("at", utc(at))
                .bind("user", org.springframework.r2dbc.core.Parameter.fromOrEmpty(user, String.class))
                .bind("reason", org.springframework.r2dbc.core.Parameter.fromOrEmpty(reason, String.class))
                .map(BookingRepository::booking).one();
    }

    /**
     * Moves a confirmed booking; the exclusion constraint checks the new range as part of this UPDATE.
     * Conditional on the time and therapist the caller read ({@code from}): of two people moving the
     * same booking at once, the second finds it changed and gets nothing back, rather than silently
     * overwriting a move they never saw.
     *
     * @param by the staff user who moved it (null: the customer)
     */
    Mono<Booking> move(Booking from, String therapistId, Instant startsAt, Instant endsAt, Instant blockedUntil,
                       Instant at, String by) {
        return db.sql("""
                        update booking set therapist_id = :therapist, starts_at = :startsAt, ends_at = :endsAt,
                          blocked_until = :blockedUntil, updated_at = :at, rescheduled_at = :at, rescheduled_by = :by
                        where id = :id and status = 'CONFIRMED' and starts_at = :readStartsAt
                          and therapist_id = :readTherapist
                        returning *""")
                .bind("id", from.id()).bind("therapist", therapistId).bind("startsAt", utc(startsAt))
                .bind("endsAt", utc(endsAt)).bind("blockedUntil", utc(blockedUntil)).bind("at", utc(at))
                .bind("readStartsAt", utc(from.startsAt())).bind("readTherapist", from.therapistId())
                .bind("by", org.springframework.r2dbc.core.Parameter.fromOrEmpty(by, String.class))
                .map(BookingRepository::booking).one();
    }

    /**
     * Records attendance of a confirmed booking that has started; returns nothing when the booking
     * is not confirmed or has not started by {@code now} (the caller tells which).
     */
    Mono<Booking> attendance(UUID id, String status, String by, Instant now) {
        return db.sql("""
                        update booking set attendance = :status, attendance_by = :by, attendance_at = :now, updated_at = :now
                        where id = :id and status = 'CONFIRMED' and starts_at <= :now
                        returning *""")
                .bind("id", id).bind("status", status).bind("by", by).bind("now", utc(now))
                .map(BookingRepository::booking).one();
    }

    Flux<Booking> startingBetween(String locationId, Instant from, Instant to) {
        return db.sql("""
                        select * from booking where location_id = :loc and starts_at >= :from and starts_at < :to
                        order by starts_at, therapist_id, reference""")
                .bind("loc", locationId).bind("from", utc(from)).bind("to", utc(to))
                .map(BookingRepository::booking).all();
    }

    Mono<Labels> labels(String locationId, String treatmentId, String therapistId) {
        return db.sql("""
                        select l.name as location_name, t.name as treatment_name, t.category, th.name as therapist_name
                        from location l, treatment t, therapist th
                        where l.id = :loc and t.id = :treatment and th.id = :therapist""")
                .bind("loc", locationId).bind("treatment", treatmentId).bind("therapist", therapistId)
                .map(r -> new Labels(r.get("location_name", String.class), r.get("treatment_name", String.class),
                        r.get("category", String.class), r.get("therapist_name", String.class)))
                .one();
    }

    private static Booking booking(Readable r) {
        return new Booking(
                r.get("id", UUID.class),
                r.get("reference", String.class),
                Status.valueOf(r.get("status", String.class)),
                r.get("location_id", String.class),
                r.get("treatment_id", String.class),
                r.get("therapist_id", String.class),
                instant(r, "starts_at"),
                instant(r, "ends_at"),
                instant(r, "blocked_until"),
                new Customer(r.get("customer_name", String.class), r.get("customer_email", String.class),
                        r.get("customer_phone", String.class)),
                r.get("notes", String.class),
                r.get("price_pence", Long.class),
                r.get("discount_pence", Long.class),
                r.get("total_pence", Long.class),
                r.get("currency", String.class),
                r.get("promo_code", String.class),
                r.get("offer_id", String.class),
                bytes(r.get("manage_token_hash")),
                instant(r, "created_at"),
                instant(r, "updated_at"),
                instant(r, "cancelled_at"),
                r.get("cancelled_by", String.class),
                r.get("booked_by", String.class),
                r.get("cancelled_by_user", String.class),
                r.get("rescheduled_by", String.class),
                r.get("attendance", String.class));
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) return b;
        if (value instanceof java.nio.ByteBuffer buf) {
            byte[] b = new byte[buf.remaining()];
            buf.duplicate().get(b);
            return b;
        }
        return null;
    }

    private static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
