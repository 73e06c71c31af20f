package clinic.offer.promo.web;

import clinic.offer.promo.ReservationService;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** {@code POST /internal/reservations}, from booking-service. */
record ReserveRequest(
        @NotNull UUID bookingId,
        @Size(max = 64) String bookingReference,
        @NotBlank @Size(max = 64) String code,
        @NotBlank @Email @Size(max = 320) String customerEmail,
        @NotBlank @Size(max = 100) String treatmentId,
        @Size(max = 100) String treatmentCategory,
        @NotBlank @Size(max = 100) String locationId,
        @NotNull Instant startsAt,
        @NotNull @PositiveOrZero Long pricePence) {

    ReservationService.Request toRequest() {
        return new ReservationService.Request(bookingId, bookingReference, code, customerEmail, treatmentId,
                treatmentCategory, locationId, startsAt, pricePence);
    }
}
