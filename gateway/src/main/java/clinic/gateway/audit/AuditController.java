package clinic.gateway.audit;

import clinic.kit.audit.AuditEntry;
import clinic.kit.audit.AuditQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/admin/audit?from=&to=&actor=&limit=}: the whole platform's audit log, newest first.
 * ADMIN only: the kit's security chain (KitSecurity) applies its access rules ({@code /api/admin/**}) to the
 * gateway's own endpoints as to routed ones, before this runs. Answered here rather than routed,
 * because no one service holds it.
 */
@RestController
class AuditController {
    /** Names the services whose part is missing (comma-separated), when any is. */
    static final String INCOMPLETE = "X-Audit-Incomplete";

    private final AuditFanOut fanOut;

    AuditController(AuditFanOut fanOut) {
        this.fanOut = fanOut;
    }

    @GetMapping("/api/admin/audit")
    Mono<ResponseEntity<List<AuditEntry>>> audit(@RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String actor,
                                                 @RequestParam(required = false) Integer limit,
                                                 @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
        // Checked here by the same rules the services use, so a bad query is one 400, not five.
        AuditQuery query = AuditQuery.of(from, to, actor, limit);
        Map<String, String> passOn = new LinkedHashMap<>();
        if (from != null && !from.isBlank()) passOn.put("from", from);
        if (to != null && !to.isBlank()) passOn.put("to", to);
        if (query.actor() != null) passOn.put("actor", query.actor());
        passOn.put("limit", Integer.toString(query.limit()));
        return fanOut.collect(query, passOn, authorization).map(merged -> {
            var answer = ResponseEntity.ok().cacheControl(CacheControl.noStore());
            if (!merged.missing().isEmpty()) answer.header(INCOMPLETE, String.join(", ", merged.missing()));
            return answer.body(merged.entries());
        });
    }
}
