package clinic.booking.offers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A promo code's place held at offer-service for one booking; {@code code} is the canonical spelling. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reservation(String reservationId, String bookingId, String offerId, String code, long discountPence,
                          long totalPence, String status, Instant expiresAt) {}
