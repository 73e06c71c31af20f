package clinic.offer.offers.web;

import clinic.offer.offers.OfferService;
import clinic.offer.offers.web.OfferResponses.PublicOffer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** The offers customers can use now (public). */
@RestController
class PublicOfferController {
    private final OfferService offers;

    PublicOfferController(OfferService offers) {
        this.offers = offers;
    }

    @GetMapping("/api/offers")
    Flux<PublicOffer> open() {
        return offers.open().map(PublicOffer::of);
    }
}
