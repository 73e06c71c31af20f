package clinic.booking.catalog;

import clinic.booking.config.BookingSettings;
import clinic.kit.web.ClinicException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The public catalogue: only active locations, treatments and therapists are listed. */
@RestController
class CatalogController {
    /** Longest closures range one request may ask for. */
    private static final int MAX_CLOSURE_DAYS = 800;

    private final CatalogRepository catalog;
    private final BookingSettings settings;
    private final Clock clock;

    CatalogController(CatalogRepository catalog, BookingSettings settings, Clock clock) {
        this.catalog = catalog;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/locations")
    Mono<List<LocationDetails>> locations() {
        return catalog.locations(true).collectList();
    }

    @GetMapping("/api/treatments")
    Mono<List<Treatment>> treatments() {
        return catalog.treatments(true).collectList();
    }

    @GetMapping("/api/therapists")
    Mono<List<Therapist>> therapists(@RequestParam(name = "locationId", required = false) String locationId) {
        if (locationId == null || locationId.isBlank()) return catalog.therapists(null, true).collectList();
        return catalog.location(locationId)
                .switchIfEmpty(Mono.error(() -> ClinicException.invalid("locationId", "unknown location")))
                .flatMap(l -> catalog.therapists(l.id(), true).collectList());
    }

    /** Closure days between two local dates, inclusive (default: from today, a year ahead). */
    @GetMapping("/api/closures")
    Mono<List<Closure>> closures(
            @RequestParam(name = "from", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(name = "to", required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        LocalDate start = from != null ? from : LocalDate.now(clock.withZone(settings.zone()));
        LocalDate end = to != null ? to : start.plusYears(1);
        if (end.isBefore(start)) return Mono.error(ClinicException.invalid("to", "must not be before from"));
        if (end.isAfter(start.plusDays(MAX_CLOSURE_DAYS))) {
            return Mono.error(ClinicException.invalid("to", "at most " + MAX_CLOSURE_DAYS + " days after from"));
        }
        return catalog.closures(start, end).collectList();
    }
}
