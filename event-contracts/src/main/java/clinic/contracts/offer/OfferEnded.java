package clinic.contracts.offer;

import java.time.Instant;

/** Marketing ended an offer early. offer-service, {@code offer.events}, key = offerId, {@code offer.ended.v1}. */
public record OfferEnded(String offerId, String code, String endedBy, Instant endedAt) {}
