package clinic.offer.promo;

import clinic.offer.offers.NewOffer;
import clinic.offer.offers.Offer;
import clinic.offer.offers.OfferRepository;
import clinic.offer.offers.Rejection;
import java.util.Locale;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Finds the offer a code means for one use, shared by quotes and reservations. */
@Component
class PromoCodes {
    private final OfferRepository offers;

    PromoCodes(OfferRepository offers) {
        this.offers = offers;
    }

    /**
     * The offer to apply, or {@link PromoCodeRejected} for an unknown code, an offer that is over
     * or misses the appointment, or one that does not cover it. Limits that need counting are the
     * caller's.
     */
    Mono<Offer> usableOffer(String rawCode, Offer.Use use) {
        String code = normaliseCode(rawCode);
        if (!NewOffer.CODE.matcher(code).matches()) return Mono.error(new PromoCodeRejected(Rejection.UNKNOWN));
        return offers.findByCode(code).collectList().flatMap(sameCode -> {
            Offer offer = Offer.meantBy(sameCode, use.appointmentAt()).orElse(null);
            if (offer == null) return Mono.error(new PromoCodeRejected(Rejection.UNKNOWN));
            return offer.checkUse(use).<Mono<Offer>>map(r -> Mono.error(new PromoCodeRejected(r, offer)))
                    .orElseGet(() -> Mono.just(offer));
        });
    }

    static String normaliseCode(String code) {
        return code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
    }

    /** A customer is their e-mail address, trimmed and lower-cased. */
    static String normaliseEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
