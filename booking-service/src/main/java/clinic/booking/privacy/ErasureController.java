package clinic.booking.privacy;

import clinic.kit.security.ClinicPrincipal;
import clinic.kit.web.ClinicException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Erasure on request (ADMIN, by the kit's access rules; the gateway routes
 * {@code /api/admin/privacy/erasure/**} here). The request answers 202 at once: the services erase
 * their rows when they handle {@code privacy.erasure_requested.v1}, and the status says who has.
 * Nothing here logs the address.
 */
@RestController
class ErasureController {
    private final Erasures erasures;

    ErasureController(Erasures erasures) {
        this.erasures = erasures;
    }

    /** {@code reason}: why (a ticket number, "customer asked by phone"); only its length is kept. */
    record ErasureRequest(
            @NotBlank @Size(max = 254) @Email(regexp = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$") String email,
            @Size(max = 1000) String reason) {}

    record Accepted(String id, String status) {}

    @PostMapping("/api/admin/privacy/erasure")
    Mono<ResponseEntity<Accepted>> request(@Valid @RequestBody ErasureRequest body, ServerWebExchange exchange) {
        return ClinicPrincipal.of(exchange).map(ClinicPrincipal::username).defaultIfEmpty("unknown")
                .flatMap(actor -> erasures.request(body.email(), body.reason(), actor))
                .map(s -> ResponseEntity.status(HttpStatus.ACCEPTED).cacheControl(CacheControl.noStore())
                        .body(new Accepted(s.id(), s.status())));
    }

    @GetMapping("/api/admin/privacy/erasure/{id}")
    Mono<ResponseEntity<Erasures.Status>> status(@PathVariable String id) {
        return erasures.status(id(id))
                .map(s -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(s))
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Erasure")));
    }

    /**
     * For the erasing services (a SERVICE token for booking-service; never routed by the gateway):
     * the address while the request is open, null once it is DONE. Not logged.
     */
    @GetMapping("/internal/privacy/erasures/{id}")
    Mono<ResponseEntity<Erasures.Subject>> subject(@PathVariable String id) {
        return erasures.subject(id(id))
                .map(s -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(s))
                .switchIfEmpty(Mono.error(() -> ClinicException.notFound("Erasure")));
    }

    static UUID id(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ClinicException.notFound("Erasure");
        }
    }
}
