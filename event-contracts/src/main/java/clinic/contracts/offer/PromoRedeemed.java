package clinic.contracts.offer;

import java.time.Instant;

/**
 * A promo code's use by a booking became final (the booking was confirmed). offer-service,
 * {@code offer.events}, key = offerId, {@code promo.redeemed.v1}.
 */
public record PromoRedeemed(
        String offerId,
        String code,
        String bookingId,
        String bookingReference,
        long discountPence,
        Instant redeemedAt) {}
