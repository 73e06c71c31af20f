package clinic.offer.promo;

import clinic.contracts.offer.PromoRedeemed;
import clinic.contracts.offer.PromoReleased;
import java.time.Instant;
import java.util.UUID;

/**
 * A booking's hold on a place under an offer's cap (and under its customer's limit): RESERVED
 * while the booking is being made, REDEEMED once it is confirmed, RELEASED when the place is
 * given back. One per booking id.
 */
public record Reservation(
        UUID id,
        UUID bookingId,
        UUID offerId,
        String code,
        String bookingReference,
        String customerEmail,
        String treatmentId,
        String locationId,
        Instant appointmentAt,
        long pricePence,
        long discountPence,
        Status status,
        String releaseReason,
        Instant createdAt,
        Instant expiresAt) {

    public enum Status { RESERVED, REDEEMED, RELEASED }

    /** Why a place was given back ({@code promo.released.v1} {@code reason}). */
    public static final String BOOKING_CANCELLED = "BOOKING_CANCELLED";
    public static final String RESERVATION_EXPIRED = "RESERVATION_EXPIRED";
    /** booking-service released it because the booking could not be made. */
    public static final String BOOKING_FAILED = "BOOKING_FAILED";

    public long totalPence() {
        return pricePence - discountPence;
    }

    PromoRedeemed redeemed(Instant at) {
        return new PromoRedeemed(offerId.toString(), code, bookingId.toString(), bookingReference, discountPence, at);
    }

    PromoReleased released(Instant at) {
        return new PromoReleased(offerId.toString(), code, bookingId.toString(), bookingReference, discountPence,
                releaseReason, at);
    }
}
