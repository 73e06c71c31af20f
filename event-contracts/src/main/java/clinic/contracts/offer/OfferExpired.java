package clinic.contracts.offer;

import java.time.Instant;

/** An offer's window closed. offer-service, {@code offer.events}, key = offerId, {@code offer.expired.v1}. */
public record OfferExpired(String offerId, String code, Instant endsAt, Instant expiredAt) {}
