package clinic.offer.promo;

import clinic.offer.Db;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SQL of reservations and of the places they hold. Every limit is enforced by one conditional
 * statement that PostgreSQL evaluates under the row's lock, never by reading a count and then
 * writing: under any concurrency, in any number of instances, a cap is never overshot.
 */
@Repository
class ReservationRepository {
    private final DatabaseClient db;

    ReservationRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Reservation> find(UUID bookingId) {
        return db.sql("select * from reservation where booking_id = :id").bind("id", bookingId)
                .map(ReservationRepository::reservation).one();
    }

    /** What {@link #reserve} did: made the reservation, found one already made, or refused. */
    enum Outcome { RESERVED, EXISTS, ALREADY_USED, EXHAUSTED }

    /**
     * Inserts the reservation and takes its places under the customer's limit and the offer's cap,
     * all in one statement ({@code reserve_promo_place}, V3): PostgreSQL applies all of it or none,
     * whenever the caller stops waiting. A multi-statement transaction cancelled by the caller
     * could be split (the promo-cap drill's drift).
     */
    Mono<Outcome> reserve(Reservation r, int perCustomer) {
        var spec = db.sql("""
                select reserve_promo_place(:bookingId, :id, :offerId, :code, :reference, :email, :treatmentId,
                                           :locationId, :appointmentAt, :price, :discount, :createdAt, :expiresAt,
                                           :perCustomer) as outcome
                """)
                .bind("bookingId", r.bookingId())
                .bind("id", r.id())
                .bind("offerId", r.offerId())
                .bind("code", r.code())
                .bind("email", r.customerEmail())
                .bind("treatmentId", r.treatmentId())
                .bind("locationId", r.locationId())
                .bind("appointmentAt", r.appointmentAt())
                .bind("price", r.pricePence())
                .bind("discount", r.discountPence())
                .bind("createdAt", r.createdAt())
                .bind("expiresAt", r.expiresAt())
                .bind("perCustomer", perCustomer);
        return Db.bind(spec, "reference", r.bookingReference(), String.class)
                .map(row -> Outcome.valueOf(row.get("outcome", String.class))).one();
    }

    /** Takes one of the customer's places under the offer; false when they have none left. */
    Mono<Boolean> takeCustomerPlace(UUID offerId, String email, int limit) {
        return db.sql("""
                insert into offer_customer (offer_id, customer_email, taken) values (:offerId, :email, 1)
                on conflict (offer_id, customer_email) do update set taken = offer_customer.taken + 1
                where offer_customer.taken < :limit
                """)
                .bind("offerId", offerId).bind("email", email).bind("limit", limit)
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    /** Takes one place under the offer's cap; false when none is left. */
    Mono<Boolean> takePlace(UUID offerId) {
        return db.sql("""
                update offer set taken = taken + 1
                where id = :offerId and (max_redemptions is null or taken < max_redemptions)
                """)
                .bind("offerId", offerId).fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<Integer> customerTaken(UUID offerId, String email) {
        return db.sql("select taken from offer_customer where offer_id = :offerId and customer_email = :email")
                .bind("offerId", offerId).bind("email", email)
                .map(row -> row.get("taken", Integer.class)).one().defaultIfEmpty(0);
    }

    Mono<Reservation> markRedeemed(UUID bookingId, String reference, Instant now) {
        var spec = db.sql("""
                update reservation set status = 'REDEEMED', redeemed_at = :now,
                                       booking_reference = coalesce(:reference, booking_reference)
                where booking_id = :id and status = 'RESERVED'
                returning *
                """).bind("id", bookingId).bind("now", now);
        return Db.bind(spec, "reference", reference, String.class).map(ReservationRepository::reservation).one();
    }

    /** A reservation freed by expiry whose booking was confirmed after all becomes a redemption again. */
    Mono<Reservation> markRedeemedAfterExpiry(UUID bookingId, String reference, Instant now) {
        var spec = db.sql("""
                update reservation set status = 'REDEEMED', redeemed_at = :now, released_at = null,
                                       release_reason = null,
                                       booking_reference = coalesce(:reference, booking_reference)
                where booking_id = :id and status = 'RELEASED' and release_reason = 'RESERVATION_EXPIRED'
                returning *
                """).bind("id", bookingId).bind("now", now);
        return Db.bind(spec, "reference", reference, String.class).map(ReservationRepository::reservation).one();
    }

    /**
     * Releases a reservation that still holds a place and gives its places back (the customer's and
     * the offer's), in one statement; empty when it holds none.
     */
    Mono<Reservation> markReleased(UUID bookingId, String reason, Instant now) {
        return db.sql(releasing("booking_id = :id and status in ('RESERVED', 'REDEEMED')"))
                .bind("id", bookingId).bind("reason", reason).bind("now", now)
                .map(ReservationRepository::reservation).one();
    }

    /** Releases a reservation still unconfirmed past its expiry, places included, in one statement; empty otherwise. */
    Mono<Reservation> markExpired(UUID bookingId, Instant now) {
        return db.sql(releasing("booking_id = :id and status = 'RESERVED' and expires_at <= :now"))
                .bind("id", bookingId).bind("reason", Reservation.RESERVATION_EXPIRED).bind("now", now)
                .map(ReservationRepository::reservation).one();
    }

    /**
     * The release of the reservation {@code which} selects, with both of its places given back by
     * the same statement: a release can never be half-applied, whatever its caller does.
     */
    private static String releasing(String which) {
        return """
                with released as (
                    update reservation set status = 'RELEASED', released_at = :now, release_reason = :reason
                    where %s
                    returning *),
                customer as (
                    update offer_customer c set taken = c.taken - 1 from released r
                    where c.offer_id = r.offer_id and c.customer_email = r.customer_email and c.taken > 0),
                cap as (
                    update offer o set taken = o.taken - 1 from released r
                    where o.id = r.offer_id and o.taken > 0)
                select * from released
                """.formatted(which);
    }

    /** The reservation, locked until the end of the transaction (a late confirmation decides on it). */
    Mono<Reservation> findForUpdate(UUID bookingId) {
        return db.sql("select * from reservation where booking_id = :id for update").bind("id", bookingId)
                .map(ReservationRepository::reservation).one();
    }

    Flux<UUID> dueForExpiry(Instant now, int limit) {
        return db.sql("""
                select booking_id from reservation where status = 'RESERVED' and expires_at <= :now
                order by expires_at limit :limit
                """).bind("now", now).bind("limit", limit)
                .map(row -> row.get("booking_id", UUID.class)).all();
    }

    static Reservation reservation(Readable row) {
        return new Reservation(
                row.get("id", UUID.class),
                row.get("booking_id", UUID.class),
                row.get("offer_id", UUID.class),
                row.get("code", String.class),
                row.get("booking_reference", String.class),
                row.get("customer_email", String.class),
                row.get("treatment_id", String.class),
                row.get("location_id", String.class),
                row.get("appointment_at", Instant.class),
                row.get("price_pence", Long.class),
                row.get("discount_pence", Long.class),
                Reservation.Status.valueOf(row.get("status", String.class)),
                row.get("release_reason", String.class),
                row.get("created_at", Instant.class),
                row.get("expires_at", Instant.class));
    }
}
