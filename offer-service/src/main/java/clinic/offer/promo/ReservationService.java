package clinic.offer.promo;

import clinic.contracts.offer.OfferTopics;
import clinic.kit.outbox.Outbox;
import clinic.offer.config.OffersProperties;
import clinic.offer.offers.Offer;
import clinic.offer.offers.OfferRepository;
import clinic.offer.offers.Rejection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Reservations of promo-code redemptions for booking-service. Reserving takes a place under
 * the customer's limit and under the offer's cap with conditional writes in the same single
 * statement as the reservation itself; confirming makes it a redemption; releasing (booking
 * cancelled or failed, or left unconfirmed too long) gives both places back in the statement that
 * releases it. booking-service's time limiter cancels calls mid-flight: no change of places may
 * depend on a multi-statement transaction running to its end (see docs/reliability.md).
 */
@Service
public class ReservationService {
    private static final Logger log = LoggerFactory.getLogger(ReservationService.class);
    private static final int EXPIRY_BATCH = 200;

    private final ReservationRepository reservations;
    private final PromoCodes codes;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final Duration ttl;
    private final PromoRejections rejections;
    private final OfferRepository offers;

    ReservationService(ReservationRepository reservations, PromoCodes codes, Outbox outbox,
                       TransactionalOperator tx, Clock clock, OffersProperties props, PromoRejections rejections,
                       OfferRepository offers) {
        this.rejections = rejections;
        this.offers = offers;
        this.reservations = reservations;
        this.codes = codes;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.ttl = props.reservationTtl();
    }

    /** What booking-service asks to reserve. */
    public record Request(UUID bookingId, String bookingReference, String code, String customerEmail,
                          String treatmentId, String treatmentCategory, String locationId, Instant startsAt,
                          long pricePence) {}

    /**
     * Reserves a redemption for a booking. Idempotent by booking id: a retry (even concurrent, even
     * after the offer filled up or ended) gets the reservation the first call made. The treatment's
     * category and price are booking-service's, sent with the request, never looked up in the
     * catalogue copy: booking-service owns the catalogue and prices the booking, so a treatment
     * whose event has not reached this service yet is reserved all the same.
     */
    public Mono<Reservation> reserve(Request r) {
        return reservations.find(r.bookingId()).switchIfEmpty(Mono.defer(() -> reserveNew(r)))
                .doOnError(PromoCodeRejected.class, e -> rejections.reservationRefused(e.rejection()));
    }

    private Mono<Reservation> reserveNew(Request r) {
        Instant now = now();
        String email = PromoCodes.normaliseEmail(r.customerEmail());
        var use = new Offer.Use(r.treatmentId(), r.treatmentCategory(), r.locationId(), r.startsAt(), r.pricePence(), now);
        return codes.usableOffer(r.code(), use).flatMap(offer -> {
            Reservation fresh = new Reservation(UUID.randomUUID(), r.bookingId(), offer.id(), offer.code(),
                    r.bookingReference(), email, r.treatmentId(), r.locationId(), r.startsAt(), r.pricePence(),
                    offer.discountFor(r.pricePence()), Reservation.Status.RESERVED, null, now, now.plus(ttl));
            // One statement: the row and both places change together or not at all, whenever
            // booking-service gives up on this call (its time limiter cancels the request's work).
            return reservations.reserve(fresh, offer.maxRedemptionsPerCustomer()).<Reservation>flatMap(outcome -> switch (outcome) {
                case RESERVED -> Mono.just(fresh);
                // A retry, or a concurrent twin that got there first: the reservation it made.
                case EXISTS -> reservations.find(r.bookingId());
                // Customer limit before the cap: "already used" outranks "exhausted".
                case ALREADY_USED -> Mono.error(new PromoCodeRejected(Rejection.ALREADY_USED));
                case EXHAUSTED -> Mono.error(new PromoCodeRejected(Rejection.EXHAUSTED));
            });
        });
    }

    /**
     * Whether a booking's discount still holds if its appointment moves to {@code startsAt}: the
     * new time must lie inside the offer's appointment window, else {@link PromoCodeRejected}
     * {@code promo_code_expired} with the window. Only the window is checked: treatment and clinic
     * do not change on a move, and the place under the cap is already this booking's. An offer
     * ended early by marketing keeps the discounts of bookings made, so a move inside its window
     * keeps it too. Reads only; empty for a booking without a reservation holding a place.
     */
    public Mono<Reservation> recheck(UUID bookingId, Instant startsAt) {
        return reservations.find(bookingId)
                .filter(r -> r.status() != Reservation.Status.RELEASED)
                .flatMap(r -> offers.findById(r.offerId()).flatMap(offer ->
                        !startsAt.isBefore(offer.startsAt()) && startsAt.isBefore(offer.endsAt()) ? Mono.just(r)
                                : Mono.<Reservation>error(PromoCodeRejected.outsideWindow(offer))));
    }

    /**
     * The booking was confirmed: the reservation becomes a redemption ({@code promo.redeemed.v1}).
     * Runs inside the transaction of the consumed event. Nothing happens twice.
     */
    public Mono<Void> confirm(UUID bookingId, String bookingReference) {
        Instant now = now();
        // The row is locked before a late confirmation decides on it: two confirmations of one
        // booking must not both take a place back.
        Mono<Reservation> redeemed = reservations.markRedeemed(bookingId, bookingReference, now)
                .switchIfEmpty(Mono.defer(() -> reservations.findForUpdate(bookingId)
                        .flatMap(r -> lateConfirmation(r, bookingReference, now))));
        return tx.transactional(redeemed
                .flatMap(r -> outbox.append(OfferTopics.TOPIC, r.offerId().toString(), OfferTopics.PROMO_REDEEMED,
                        r.redeemed(now)))
                .then());
    }

    /**
     * A confirmation that arrives after its reservation expired (the event was delayed past the
     * TTL) takes its place back if the cap still has room; the booking was made in time.
     */
    private Mono<Reservation> lateConfirmation(Reservation r, String bookingReference, Instant now) {
        if (r.status() != Reservation.Status.RELEASED || !Reservation.RESERVATION_EXPIRED.equals(r.releaseReason())) {
            return Mono.empty();
        }
        return reservations.takePlace(r.offerId()).flatMap(ok -> {
            if (!ok) {
                log.error("booking {} was confirmed with code {} after its reservation expired, and the offer has "
                        + "no place left: not counted as a redemption", r.bookingId(), r.code());
                return Mono.empty();
            }
            return reservations.takeCustomerPlace(r.offerId(), r.customerEmail(), Integer.MAX_VALUE)
                    .then(reservations.markRedeemedAfterExpiry(r.bookingId(), bookingReference, now));
        });
    }

    /**
     * Gives the places of a booking's reservation back ({@code promo.released.v1} with
     * {@code reason}). Empty when it holds none (unknown, or already released).
     */
    public Mono<Reservation> release(UUID bookingId, String reason) {
        Instant now = now();
        return toCompletion(tx.transactional(reservations.markReleased(bookingId, reason, now)
                .flatMap(r -> announced(r, now))));
    }

    /**
     * Runs {@code work} (a transaction) to its commit or rollback even when the subscriber cancels:
     * booking-service's time limiter gives up on release calls mid-flight, and a cancelled R2DBC
     * transaction is rolled back while its next statement may already be on its way, which then
     * runs outside it. The caller still stops waiting; the transaction just is not cut short.
     */
    static <T> Mono<T> toCompletion(Mono<T> work) {
        return Mono.deferContextual(ctx -> Mono.<T>fromFuture(() -> work.contextWrite(ctx).toFuture(), true))
                .onErrorMap(java.util.concurrent.CompletionException.class,
                        e -> e.getCause() != null ? e.getCause() : e);
    }

    /** The reservation as it is now, or empty for an unknown booking id. */
    public Mono<Reservation> find(UUID bookingId) {
        return reservations.find(bookingId);
    }

    @Scheduled(fixedDelayString = "${clinic.offers.expiry-interval:5s}")
    void expiryTick() {
        try {
            long n = releaseExpired(clock.instant()).block(Duration.ofMinutes(1));
            if (n > 0) log.info("released {} reservations left unconfirmed past their expiry", n);
        } catch (RuntimeException e) {
            log.warn("reservation expiry pass failed, next pass retries: {}", e.toString());
        }
    }

    /**
     * Releases reservations still unconfirmed at {@code at}, each in its own transaction whose
     * conditional update only one instance can win.
     */
    public Mono<Long> releaseExpired(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        return reservations.dueForExpiry(now, EXPIRY_BATCH)
                .concatMap(id -> toCompletion(tx.transactional(reservations.markExpired(id, now)
                        .flatMap(r -> announced(r, now)))))
                .count();
    }

    /** {@code promo.released.v1} of a reservation whose statement just gave its places back, in its transaction. */
    private Mono<Reservation> announced(Reservation r, Instant now) {
        return outbox.append(OfferTopics.TOPIC, r.offerId().toString(), OfferTopics.PROMO_RELEASED, r.released(now))
                .thenReturn(r);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
