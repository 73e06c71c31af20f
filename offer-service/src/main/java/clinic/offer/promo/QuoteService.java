package clinic.offer.promo;

import clinic.offer.catalogue.CatalogueCopy;
import clinic.offer.catalogue.Treatment;
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
    private final CatalogueCopy catalogue;
    private final PromoCodes codes;
    private final ReservationRepository reservations;
    private final Clock clock;
    private final PromoRejections rejections;

    QuoteService(CatalogueCopy catalogue, PromoCodes codes, ReservationRepository reservations, Clock clock,
                 PromoRejections rejections) {
        this.catalogue = catalogue;
        this.codes = codes;
        this.reservations = reservations;
        this.clock = clock;
        this.rejections = rejections;
    }

    /** A valid quote, or the reason the code cannot be used (with the offer the code means, if any). */
    public record Quote(boolean valid, Rejection rejection, Offer offer, long pricePence, long discountPence) {
        public long totalPence() {
            return pricePence - discountPence;
        }
    }

    /**
     * Prices from the catalogue copy. A treatment the copy does not know (an id that names nothing,
     * or one booking-service created a moment ago whose event has not arrived yet) cannot be priced:
     * once the code itself has been judged (unknown and expired still say so), the answer is
     * {@code promo_code_not_applicable}, since no offer here covers a treatment this service has
     * never heard of. Not a 503: the copy being behind is no outage, and a made-up id must not
     * count as a server error. Not a 400 either: the caller's id may be perfectly good. The booking
     * itself is unaffected: its reservation carries booking-service's own price and category.
     */
    public Mono<Quote> quote(String code, String treatmentId, String locationId, Instant appointmentAt, String email) {
        return catalogue.treatment(treatmentId)
                .flatMap(t -> priced(code, t, locationId, appointmentAt, email))
                .switchIfEmpty(Mono.defer(() -> unpriceable(code, treatmentId, locationId, appointmentAt)));
    }

    private Mono<Quote> priced(String code, Treatment t, String locationId, Instant appointmentAt, String email) {
        var use = new Offer.Use(t.id(), t.category(), locationId, appointmentAt, t.pricePence(), clock.instant());
        return codes.usableOffer(code, use)
                .flatMap(offer -> withinLimits(offer, PromoCodes.normaliseEmail(email)))
                .map(offer -> new Quote(true, null, offer, t.pricePence(), offer.discountFor(t.pricePence())))
                .onErrorResume(PromoCodeRejected.class, e -> refused(e, t.pricePence()));
    }

    private Mono<Quote> unpriceable(String code, String treatmentId, String locationId, Instant appointmentAt) {
        // No category and no price: only an offer naming this very id could pass the scope check,
        // and even then there is no price to take a discount from.
        var use = new Offer.Use(treatmentId, null, locationId, appointmentAt, 0, clock.instant());
        return codes.usableOffer(code, use)
                .flatMap(offer -> Mono.<Quote>error(new PromoCodeRejected(Rejection.NOT_APPLICABLE, offer)))
                .onErrorResume(PromoCodeRejected.class, e -> refused(e, 0));
    }

    /** A refusal keeps the offer the code means (when it names one) so the answer can say when and where it applies. */
    private Mono<Quote> refused(PromoCodeRejected e, long pricePence) {
        rejections.quoteRefused(e.rejection());
        return Mono.just(new Quote(false, e.rejection(), e.offer(), pricePence, 0));
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
