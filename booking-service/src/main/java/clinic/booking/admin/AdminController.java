package clinic.booking.admin;

import clinic.booking.admin.AdminRequests.ClosureBody;
import clinic.booking.admin.AdminRequests.ClosureSaved;
import clinic.booking.admin.AdminRequests.LocationBody;
import clinic.booking.admin.AdminRequests.PatternVersion;
import clinic.booking.admin.AdminRequests.Saved;
import clinic.booking.admin.AdminRequests.TherapistBody;
import clinic.booking.admin.AdminRequests.TherapistDetails;
import clinic.booking.admin.AdminRequests.TimeOffBody;
import clinic.booking.admin.AdminRequests.TimeOffSaved;
import clinic.booking.admin.AdminRequests.TreatmentBody;
import clinic.booking.admin.AdminRequests.WorkingHoursBody;
import clinic.booking.catalog.CatalogRepository;
import clinic.booking.catalog.LocationDetails;
import clinic.booking.catalog.Therapist;
import clinic.booking.catalog.Treatment;
import clinic.kit.security.ClinicPrincipal;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The administration API; the kit's security chain (KitSecurity) lets only ADMIN reach /api/admin/**. Every write
 * records the signed-in admin (their username) as the actor of its audit entry.
 */
@RestController
class AdminController {
    private final CatalogueAdmin admin;
    private final CatalogRepository catalog;

    AdminController(CatalogueAdmin admin, CatalogRepository catalog) {
        this.admin = admin;
        this.catalog = catalog;
    }

    private static <T> Mono<T> as(ServerWebExchange exchange, Function<String, Mono<T>> write) {
        return ClinicPrincipal.of(exchange).map(ClinicPrincipal::username).defaultIfEmpty("unknown").flatMap(write);
    }

    private static <T> ResponseEntity<T> created(String path, T body) {
        return ResponseEntity.created(URI.create(path)).body(body);
    }

    // ---- reads for the admin screens (inactive things included) ----

    @GetMapping("/api/admin/locations")
    Mono<List<LocationDetails>> locations() {
        return catalog.locations(false).collectList();
    }

    @GetMapping("/api/admin/treatments")
    Mono<List<Treatment>> treatments() {
        return catalog.treatments(false).collectList();
    }

    @GetMapping("/api/admin/therapists")
    Mono<List<Therapist>> therapists() {
        return catalog.therapists(null, false).collectList();
    }

    @GetMapping("/api/admin/therapists/{id}")
    Mono<TherapistDetails> therapist(@PathVariable String id) {
        return admin.therapistDetails(id);
    }

    // ---- writes ----

    @PostMapping("/api/admin/locations")
    Mono<ResponseEntity<LocationDetails>> createLocation(@RequestBody LocationBody body, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.createLocation(actor, body))
                .map(l -> created("/api/admin/locations/" + l.id(), l));
    }

    @PutMapping("/api/admin/locations/{id}")
    Mono<Saved<LocationDetails>> updateLocation(@PathVariable String id, @RequestBody LocationBody body,
                                                ServerWebExchange exchange) {
        return as(exchange, actor -> admin.updateLocation(actor, id, body));
    }

    @PostMapping("/api/admin/treatments")
    Mono<ResponseEntity<Treatment>> createTreatment(@RequestBody TreatmentBody body, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.createTreatment(actor, body))
                .map(t -> created("/api/admin/treatments/" + t.id(), t));
    }

    @PutMapping("/api/admin/treatments/{id}")
    Mono<Saved<Treatment>> updateTreatment(@PathVariable String id, @RequestBody TreatmentBody body,
                                           ServerWebExchange exchange) {
        return as(exchange, actor -> admin.updateTreatment(actor, id, body));
    }

    @PostMapping("/api/admin/therapists")
    Mono<ResponseEntity<Therapist>> createTherapist(@RequestBody TherapistBody body, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.createTherapist(actor, body))
                .map(t -> created("/api/admin/therapists/" + t.id(), t));
    }

    @PutMapping("/api/admin/therapists/{id}")
    Mono<Saved<Therapist>> updateTherapist(@PathVariable String id, @RequestBody TherapistBody body,
                                           ServerWebExchange exchange) {
        return as(exchange, actor -> admin.updateTherapist(actor, id, body));
    }

    @PutMapping("/api/admin/therapists/{id}/working-hours")
    Mono<Saved<PatternVersion>> workingHours(@PathVariable String id, @RequestBody WorkingHoursBody body,
                                             ServerWebExchange exchange) {
        return as(exchange, actor -> admin.replaceWorkingHours(actor, id, body));
    }

    @PostMapping("/api/admin/therapists/{id}/time-off")
    Mono<ResponseEntity<TimeOffSaved>> addTimeOff(@PathVariable String id, @RequestBody TimeOffBody body,
                                                  ServerWebExchange exchange) {
        return as(exchange, actor -> admin.addTimeOff(actor, id, body))
                .map(t -> created("/api/admin/time-off/" + t.id(), t));
    }

    @DeleteMapping("/api/admin/time-off/{id}")
    Mono<ResponseEntity<Void>> removeTimeOff(@PathVariable String id, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.removeTimeOff(actor, id)).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/api/admin/closures")
    Mono<ResponseEntity<ClosureSaved>> addClosure(@RequestBody ClosureBody body, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.addClosure(actor, body))
                .map(c -> created("/api/admin/closures/" + c.id(), c));
    }

    @DeleteMapping("/api/admin/closures/{id}")
    Mono<ResponseEntity<Void>> removeClosure(@PathVariable String id, ServerWebExchange exchange) {
        return as(exchange, actor -> admin.removeClosure(actor, id)).thenReturn(ResponseEntity.noContent().build());
    }
}
