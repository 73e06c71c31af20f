package clinic.booking.catalog;

import clinic.kit.web.ClinicException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class CatalogController {
    private final CatalogRepository catalog;

    CatalogController(CatalogRepository catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/locations")
    Mono<List<Location>> locations() {
        return catalog.locations().collectList();
    }

    @GetMapping("/api/treatments")
    Mono<List<Treatment>> treatments() {
        return catalog.treatments().collectList();
    }

    @GetMapping("/api/therapists")
    Mono<List<Therapist>> therapists(@RequestParam(name = "locationId", required = false) String locationId) {
        if (locationId == null || locationId.isBlank()) return catalog.therapists(null).collectList();
        return catalog.location(locationId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("locationId", "unknown location")))
                .flatMap(l -> catalog.therapists(l.id()).collectList());
    }
}
