package clinic.analytics.report;

/**
 * How one offer did, over all time: redemptions still standing, those given back, the discount
 * granted and the revenue of the bookings that used it (cancelled bookings excluded).
 */
public record OfferPerformance(String offerId, String code, long redemptions, long released, long discountPence,
                               long revenuePence) {}
