package clinic.booking.privacy;

import clinic.kit.audit.AuditLog;
import clinic.kit.security.ClinicPrincipal;
import clinic.kit.web.ClinicException;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * booking-service's part of a subject access export (ADMIN, by the kit's access rules). The gateway
 * asks every service that holds personal data and merges the parts into the public answer
 * ({@code clinic.gateway.privacy}). The request is audited without the address asked about.
 */
@RestController
class PrivacyController {
    /** Loose on purpose: an export looks for what is stored, which was checked when it was stored. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private final PersonalData data;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    PrivacyController(PersonalData data, AuditLog audit, TransactionalOperator tx) {
        this.data = data;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/api/admin/privacy/export")
    Mono<ResponseEntity<PersonalData.Export>> export(@RequestParam(required = false) String email,
                                                     ServerWebExchange exchange) {
        if (email == null || !EMAIL.matcher(email.trim()).matches()) {
            throw ClinicException.invalid("email", "must be an email address");
        }
        return ClinicPrincipal.of(exchange).map(ClinicPrincipal::username).defaultIfEmpty("unknown")
                .flatMap(actor -> tx.transactional(data.export(email)
                        .flatMap(export -> audit.record(actor, "privacy.exported", "privacy/export",
                                        Map.of("bookings", export.bookings().size()))
                                .thenReturn(export))))
                .map(export -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(export));
    }
}
