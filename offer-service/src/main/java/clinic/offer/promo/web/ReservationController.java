package clinic.offer.promo.web;

import clinic.kit.web.ClinicException;
import clinic.offer.PathIds;
import clinic.offer.promo.Reservation;
import clinic.offer.promo.ReservationService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** booking-service's reservation API (role SERVICE; never routed by the gateway). */
@RestController
@RequestMapping("/internal/reservations")
class ReservationController {
    private final ReservationService reservations;

    ReservationController(ReservationService reservations) {
        this.reservations = reservations;
    }

    record ReservationResponse(String reservationId, String bookingId, String offerId, String code,
                               String bookingReference, long pricePence, long discountPence, long totalPence,
                               String status, Instant expiresAt) {
        static ReservationResponse of(Reservation r) {
            return new ReservationResponse(r.id().toString(), r.bookingId().toString(), r.offerId().toString(),
                    r.code(), r.bookingReference(), r.pricePence(), r.discountPence(), r.totalPence(),
                    r.status().name(), r.expiresAt());
        }
    }

    record ReleaseResponse(String bookingId, String status) {}

    @PostMapping
    Mono<ReservationResponse> reserve(@Valid @RequestBody ReserveRequest request) {
        return reservations.reserve(request.toRequest()).map(ReservationResponse::of);
    }

    record RecheckRequest(@NotNull Instant startsAt) {}

    /**
     * Would the booking keep its discount if moved to {@code startsAt}? 200 the reservation when
     * yes; 422 {@code promo_code_expired} with the offer's window when the new time is outside it;
     * 404 when the booking holds no reservation. Changes nothing.
     */
    @PostMapping("/{bookingId}/recheck")
    Mono<ReservationResponse> recheck(@PathVariable String bookingId, @Valid @RequestBody RecheckRequest request) {
        UUID id = PathIds.uuidOrNotFound(bookingId, "Reservation");
        return reservations.recheck(id, request.startsAt())
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Reservation")))
                .map(ReservationResponse::of);
    }

    /** Idempotent: releasing a released reservation answers the same. */
    @PostMapping("/{bookingId}/release")
    Mono<ReleaseResponse> release(@PathVariable String bookingId) {
        UUID id = PathIds.uuidOrNotFound(bookingId, "Reservation");
        return reservations.release(id, Reservation.BOOKING_FAILED)
                .switchIfEmpty(Mono.defer(() -> reservations.find(id)))
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Reservation")))
                .map(r -> new ReleaseResponse(r.bookingId().toString(), Reservation.Status.RELEASED.name()));
    }
}
