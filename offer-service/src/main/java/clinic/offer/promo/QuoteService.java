package clinic.offer.promo;

import clinic.kit.web.ClinicException;
import clinic.offer.catalogue.TreatmentCatalogue;
import clinic.offer.offers.Offer;
import clinic.offer.offers.Rejection;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Prices a promo code for a prospective booking without reserving anything: the same rules as a
 * reservation, with the limits read rather than taken (so a quote can be valid and the booking
 * still find the last place gone).
 */
@Service
public class QuoteService {
    private final TreatmentCatalogue catalogue;
    private final PromoCodes codes;
    private final ReservationRepository reservations;
    private final Clock clock;
    private final PromoRejections rejections;

    QuoteService(TreatmentCatalogue catalogue, PromoCodes codes, ReservationRepository reservations, Clock clock,
                 PromoRejections rejections) {
        this.catalogue = catalogue;
        this.codes = codes;
        this.reservations = reservations;
        this.clock = clock;
        this.rejections = rejections;
    }

    /** A valid quote, or the reason the code cannot be used. */
    public record Quote(boolean valid, Rejection rejection, Offer offer, long pricePence, long discountPence) {
        public long totalPence() {
            return pricePence - discountPence;
        }
    }

    public Mono<Quote> quote(String code, String treatmentId, String locationId, Instant appointmentAt, String email) {
        return catalogue.find(treatmentId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("treatmentId", "is not a known treatment")))
                .flatMap(t -> {
                    var use = new Offer.Use(t.id(), t.category(), locationId, appointmentAt, t.pricePence(), clock.instant());
                    return codes.usableOffer(code, use)
                            .flatMap(offer -> withinLimits(offer, PromoCodes.normaliseEmail(email)))
                            .map(offer -> new Quote(true, null, offer, t.pricePence(), offer.discountFor(t.pricePence())))
                            .onErrorResume(PromoCodeRejected.class, e -> {
                                rejections.quoteRefused(e.rejection());
                                return Mono.just(new Quote(false, e.rejection(), null, t.pricePence(), 0));
                            });
                });
    }

    private Mono<Offer> withinLimits(Offer offer, String email) {
        Mono<Integer> customerTaken = email == null || email.isEmpty() ? Mono.just(0)
                : reservations.customerTaken(offer.id(), email);
        return customerTaken.flatMap(taken -> {
            if (taken >= offer.maxRedemptionsPerCustomer()) return Mono.error(new PromoCodeRejected(Rejection.ALREADY_USED));
            if (offer.maxRedemptions() != null && offer.taken() >= offer.maxRedemptions()) {
                return Mono.error(new PromoCodeRejected(Rejection.EXHAUSTED));
            }
            return Mono.just(offer);
        });
    }
}
