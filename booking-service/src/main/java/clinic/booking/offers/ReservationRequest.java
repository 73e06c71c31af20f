package clinic.booking.offers;

import java.time.Instant;
import java.util.UUID;

/** Body of {@code POST /internal/reservations} (docs/internal-apis.md). */
public record ReservationRequest(UUID bookingId, String bookingReference, String code, String customerEmail,
                                 String treatmentId, String treatmentCategory, String locationId,
                                 Instant startsAt, long pricePence) {}
