package clinic.contracts.offer;

import java.time.Instant;

/**
 * A redemption was given back (booking cancelled, or a reservation expired unconfirmed): the
 * place under the cap is free again. offer-service, {@code offer.events}, key = offerId,
 * {@code promo.released.v1}. {@code reason}: {@code BOOKING_CANCELLED} or {@code RESERVATION_EXPIRED}.
 */
public record PromoReleased(
        String offerId,
        String code,
        String bookingId,
        String bookingReference,
        long discountPence,
        String reason,
        Instant releasedAt) {}
