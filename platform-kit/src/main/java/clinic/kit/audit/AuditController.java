package clinic.kit.audit;

import clinic.kit.web.ClinicException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
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
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final ZoneId CLINIC_ZONE = ZoneId.of("Europe/London");

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping("/api/admin/audit")
    Flux<AuditEntry> audit(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                           @RequestParam(required = false) String actor,
                           @RequestParam(required = false) Integer limit) {
        Instant start = bound("from", from, false);
        Instant end = bound("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ClinicException.invalid("to", "must not be before from");
        }
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) throw ClinicException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        return log.find(start, end, actor == null || actor.isBlank() ? null : actor.trim(), n);
    }

    /** A date means its whole day: {@code to} is exclusive at the start of the next day. */
    static Instant bound(String field, String value, boolean end) {
        if (value == null || value.isBlank()) return null;
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (end ? date.plusDays(1) : date).atStartOfDay(CLINIC_ZONE).toInstant();
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ClinicException.invalid(field, "must be a date (YYYY-MM-DD) or an ISO-8601 instant");
        }
    }
}
