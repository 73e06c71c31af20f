package clinic.offer.catalogue;

import clinic.offer.config.OffersProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * booking-service's public treatment catalogue ({@code GET /api/treatments}), read for prices and
 * categories of quotes. A successful read is kept for {@code clinic.offers.catalogue-ttl}; a
 * failed one is not kept, and fails the quote with {@link CatalogueUnavailable}.
 */
@Component
public class TreatmentCatalogue {
    private static final Logger log = LoggerFactory.getLogger(TreatmentCatalogue.class);

    private final Mono<Map<String, Treatment>> treatments;

    TreatmentCatalogue(WebClient.Builder web, OffersProperties props) {
        this.treatments = web.baseUrl(props.bookingServiceUrl().toString()).build()
                .get().uri("/api/treatments")
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<Treatment>>() {})
                .timeout(props.catalogueTimeout())
                .map(list -> list.stream().collect(Collectors.toMap(Treatment::id, Function.identity(), (a, b) -> a)))
                .doOnError(e -> log.warn("treatment catalogue unreadable at {}: {}", props.bookingServiceUrl(), e.toString()))
                .onErrorMap(CatalogueUnavailable::new)
                // Share one read among concurrent quotes; keep a success, forget a failure.
                .cache(ok -> props.catalogueTtl(), e -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** The treatment, or empty when the catalogue has no such id. */
    public Mono<Treatment> find(String treatmentId) {
        return treatments.mapNotNull(all -> all.get(treatmentId));
    }
}
