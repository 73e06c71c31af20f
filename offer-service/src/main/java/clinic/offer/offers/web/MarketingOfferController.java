package clinic.offer.offers.web;

import clinic.kit.security.ClinicPrincipal;
import clinic.offer.PathIds;
import clinic.offer.offers.OfferService;
import clinic.offer.offers.web.OfferResponses.MarketingOffer;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Marketing's offers (MARKETING or ADMIN, enforced by the kit's token filter). */
@RestController
@RequestMapping("/api/marketing/offers")
class MarketingOfferController {
    private final OfferService offers;

    MarketingOfferController(OfferService offers) {
        this.offers = offers;
    }

    @PostMapping
    Mono<ResponseEntity<MarketingOffer>> create(@Valid @RequestBody CreateOfferRequest request,
                                                ServerWebExchange exchange) {
        return caller(exchange)
                .flatMap(by -> offers.create(request.toNewOffer(), by))
                .map(o -> ResponseEntity.created(URI.create("/api/marketing/offers/" + o.id()))
                        .body(MarketingOffer.of(o, 0, 0)));
    }

    @GetMapping
    Flux<MarketingOffer> list() {
        return offers.all().map(MarketingOffer::of);
    }

    @GetMapping("/{id}")
    Mono<MarketingOffer> get(@PathVariable String id) {
        return offers.get(offerId(id)).map(MarketingOffer::of);
    }

    /** Edits a scheduled offer before it starts (same body as a new one); 409 offer_not_scheduled once it has. */
    @PutMapping("/{id}")
    Mono<MarketingOffer> edit(@PathVariable String id, @Valid @RequestBody CreateOfferRequest request,
                              ServerWebExchange exchange) {
        UUID offerId = offerId(id);
        return caller(exchange)
                .flatMap(by -> offers.edit(offerId, request.toNewOffer(), by))
                .then(offers.get(offerId))
                .map(MarketingOffer::of);
    }

    @PostMapping("/{id}/end")
    Mono<MarketingOffer> end(@PathVariable String id, ServerWebExchange exchange) {
        UUID offerId = offerId(id);
        return caller(exchange)
                .flatMap(by -> offers.end(offerId, by))
                .then(offers.get(offerId))
                .map(MarketingOffer::of);
    }

    private static Mono<String> caller(ServerWebExchange exchange) {
        return ClinicPrincipal.of(exchange).map(ClinicPrincipal::username).defaultIfEmpty("unknown");
    }

    private static UUID offerId(String id) {
        return PathIds.uuidOrNotFound(id, "Offer");
    }
}
