package clinic.kit.audit;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * This service's part of the audit log (ADMIN, by the kit's access rules); the gateway's
 * {@code GET /api/admin/audit} merges every service's part. {@code from}/{@code to} are local dates
 * (inclusive, the clinic's zone) or instants.
 */
@RestController
class AuditController {
    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping("/api/admin/audit")
    Flux<AuditEntry> audit(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                           @RequestParam(required = false) String actor,
                           @RequestParam(required = false) Integer limit) {
        AuditQuery q = AuditQuery.of(from, to, actor, limit);
        return log.find(q.from(), q.to(), q.actor(), q.limit());
    }
}
