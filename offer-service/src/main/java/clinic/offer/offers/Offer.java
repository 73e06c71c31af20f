package clinic.offer.offers;

import clinic.contracts.offer.OfferEnded;
import clinic.contracts.offer.OfferExpired;
import clinic.contracts.offer.OfferLaunched;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A time-limited offer behind a promo code. Exactly one of {@code percentOff} and
 * {@code amountOffPence}; exactly one of {@code treatmentCategory} and (non-empty)
 * {@code treatmentIds}; empty {@code locationIds} means every location. {@code taken} counts the
 * places held under {@code maxRedemptions} by reservations, unconfirmed or redeemed.
 */
public record Offer(
        UUID id,
        String code,
        String title,
        String description,
        Integer percentOff,
        Long amountOffPence,
        String treatmentCategory,
        List<String> treatmentIds,
        List<String> locationIds,
        Instant startsAt,
        Instant endsAt,
        Integer maxRedemptions,
        int maxRedemptionsPerCustomer,
        Long minimumPricePence,
        boolean announce,
        OfferStatus status,
        int taken,
        Instant createdAt,
        String createdBy,
        Instant endedAt,
        String endedBy) {

    /** What a use of the code is about: the appointment being booked, and when it is booked. */
    public record Use(String treatmentId, String treatmentCategory, String locationId, Instant appointmentAt,
                      long pricePence, Instant bookedAt) {}

    /**
     * The discount on a price: a percentage rounded to the nearest penny with halves going to
     * the customer (10% of 4950 = 495, 15% of 4550 = 683), a fixed amount capped at the price.
     */
    public long discountFor(long pricePence) {
        long discount = percentOff != null
                ? (pricePence * percentOff + 50) / 100
                : amountOffPence;
        return Math.max(0, Math.min(discount, pricePence));
    }

    /**
     * Whether the code may be used for this appointment, apart from the limits that need a count
     * (per customer, total cap). Empty when it may.
     */
    public Optional<Rejection> checkUse(Use use) {
        if (status.isOver() || !use.bookedAt().isBefore(endsAt)
                || use.appointmentAt().isBefore(startsAt) || !use.appointmentAt().isBefore(endsAt)) {
            return Optional.of(Rejection.EXPIRED);
        }
        boolean treatmentCovered = treatmentCategory != null
                ? treatmentCategory.equals(use.treatmentCategory())
                : treatmentIds.contains(use.treatmentId());
        boolean locationCovered = locationIds.isEmpty() || locationIds.contains(use.locationId());
        boolean priceHighEnough = minimumPricePence == null || use.pricePence() >= minimumPricePence;
        if (!treatmentCovered || !locationCovered || !priceHighEnough) {
            return Optional.of(Rejection.NOT_APPLICABLE);
        }
        return Optional.empty();
    }

    /**
     * Of the offers that have carried one code over time, the one a use of it means: the offer
     * still running whose window holds the appointment; failing that one still running, or the
     * latest (so the answer is "expired", not "unknown").
     */
    public static Optional<Offer> meantBy(List<Offer> sameCode, Instant appointmentAt) {
        Comparator<Offer> preference = Comparator
                .comparing((Offer o) -> !o.status().isOver() && o.covers(appointmentAt))
                .thenComparing(o -> !o.status().isOver())
                .thenComparing(Offer::endsAt);
        return sameCode.stream().max(preference);
    }

    private boolean covers(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(endsAt);
    }

    public OfferLaunched launched(Instant at) {
        return new OfferLaunched(id.toString(), code, title, description, percentOff, amountOffPence,
                treatmentCategory, treatmentIds, locationIds, startsAt, endsAt, announce, at);
    }

    public OfferExpired expired(Instant at) {
        return new OfferExpired(id.toString(), code, endsAt, at);
    }

    public OfferEnded ended() {
        return new OfferEnded(id.toString(), code, endedBy, endedAt);
    }
}
