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

    /** False when the booking already has a reservation (a retry, or a concurrent twin that committed). */
    Mono<Boolean> insertIfAbsent(Reservation r) {
        var spec = db.sql("""
                insert into reservation (booking_id, id, offer_id, code, booking_reference, customer_email, treatment_id,
                                         location_id, appointment_at, price_pence, discount_pence, status, created_at,
                                         expires_at)
                values (:bookingId, :id, :offerId, :code, :reference, :email, :treatmentId, :locationId,
                        :appointmentAt, :price, :discount, 'RESERVED', :createdAt, :expiresAt)
                on conflict (booking_id) do nothing
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
                .bind("expiresAt", r.expiresAt());
        return Db.bind(spec, "reference", r.bookingReference(), String.class).fetch().rowsUpdated().map(n -> n == 1);
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

    Mono<Void> givePlacesBack(UUID offerId, String email) {
        return db.sql("""
                        update offer_customer set taken = taken - 1
                        where offer_id = :offerId and customer_email = :email and taken > 0
                        """)
                .bind("offerId", offerId).bind("email", email).then()
                .then(db.sql("update offer set taken = taken - 1 where id = :offerId and taken > 0")
                        .bind("offerId", offerId).then());
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

    /** Releases a reservation that still holds a place; empty when it holds none. */
    Mono<Reservation> markReleased(UUID bookingId, String reason, Instant now) {
        return db.sql("""
                update reservation set status = 'RELEASED', released_at = :now, release_reason = :reason
                where booking_id = :id and status in ('RESERVED', 'REDEEMED')
                returning *
                """).bind("id", bookingId).bind("reason", reason).bind("now", now)
                .map(ReservationRepository::reservation).one();
    }

    /** Releases a reservation that is still unconfirmed past its expiry; empty otherwise. */
    Mono<Reservation> markExpired(UUID bookingId, Instant now) {
        return db.sql("""
                update reservation set status = 'RELEASED', released_at = :now, release_reason = 'RESERVATION_EXPIRED'
                where booking_id = :id and status = 'RESERVED' and expires_at <= :now
                returning *
                """).bind("id", bookingId).bind("now", now)
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
