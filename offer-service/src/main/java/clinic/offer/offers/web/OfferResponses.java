package clinic.offer.offers.web;

import clinic.offer.offers.Offer;
import clinic.offer.offers.OfferRepository;
import java.time.Instant;
import java.util.List;

/** What the offer endpoints answer. Exactly one of each pair of alternatives is present. */
final class OfferResponses {
    private OfferResponses() {}

    /**
     * An offer as customers see it ({@code GET /api/offers}). {@code usedUp}: every place under the
     * cap is held (redeemed or reserved), so the code would be refused as exhausted now; the offer
     * is still listed (the contract lists every offer not over) but the web front does not
     * advertise it. The count itself stays marketing's.
     */
    record PublicOffer(String id, String code, String status, String title, String description, Integer percentOff,
                       Long amountOffPence, String treatmentCategory, List<String> treatmentIds,
                       List<String> locationIds, Instant startsAt, Instant endsAt, Long minimumPricePence,
                       boolean usedUp) {
        static PublicOffer of(Offer o) {
            return new PublicOffer(o.id().toString(), o.code(), o.status().name(), o.title(), o.description(),
                    o.percentOff(), o.amountOffPence(), o.treatmentCategory(), idsOrNull(o.treatmentIds()),
                    o.locationIds(), o.startsAt(), o.endsAt(), o.minimumPricePence(),
                    o.maxRedemptions() != null && o.taken() >= o.maxRedemptions());
        }
    }

    /**
     * An offer as marketing sees it: {@code redemptions} are confirmed bookings,
     * {@code pendingReservations} bookings not yet confirmed, both holding places under the cap.
     */
    record MarketingOffer(String id, String code, String status, String title, String description,
                          Integer percentOff, Long amountOffPence, String treatmentCategory,
                          List<String> treatmentIds, List<String> locationIds, Instant startsAt, Instant endsAt,
                          Integer maxRedemptions, int maxRedemptionsPerCustomer, Long minimumPricePence,
                          boolean announce, long redemptions, long pendingReservations, Integer placesLeft,
                          Instant createdAt, String createdBy, Instant endedAt, String endedBy) {
        static MarketingOffer of(Offer o, long redemptions, long pending) {
            return new MarketingOffer(o.id().toString(), o.code(), o.status().name(), o.title(), o.description(),
                    o.percentOff(), o.amountOffPence(), o.treatmentCategory(), idsOrNull(o.treatmentIds()),
                    o.locationIds(), o.startsAt(), o.endsAt(), o.maxRedemptions(), o.maxRedemptionsPerCustomer(),
                    o.minimumPricePence(), o.announce(), redemptions, pending,
                    o.maxRedemptions() == null ? null : o.maxRedemptions() - o.taken(),
                    o.createdAt(), o.createdBy(), o.endedAt(), o.endedBy());
        }

        static MarketingOffer of(OfferRepository.Counted c) {
            return of(c.offer(), c.redeemed(), c.reserved());
        }
    }

    /** Treatment ids only when they are the offer's scope (else treatmentCategory is). */
    private static List<String> idsOrNull(List<String> ids) {
        return ids.isEmpty() ? null : ids;
    }
}
