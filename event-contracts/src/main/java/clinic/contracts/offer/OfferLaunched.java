package clinic.contracts.offer;

import java.time.Instant;
import java.util.List;

/**
 * An offer went LIVE (its window began). Published once by offer-service on {@code offer.events},
 * key = {@code offerId}, type {@code offer.launched.v1}. Exactly one of {@code percentOff} and
 * {@code amountOffPence} is set; exactly one of {@code treatmentCategory} and
 * {@code treatmentIds}. Empty {@code locationIds} means every location. {@code announce}: mail
 * confirmed newsletter subscribers.
 */
public record OfferLaunched(
        String offerId,
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
        boolean announce,
        Instant launchedAt) {}
