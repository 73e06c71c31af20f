package clinic.notification.notification.web;

import clinic.kit.web.ClinicException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/** The delivery log for staff (STAFF or ADMIN, enforced by the kit's access rules). */
@RestController
class NotificationLogController {
    static final int MAX_LIMIT = 500;
    private final DatabaseClient db;

    NotificationLogController(DatabaseClient db) {
        this.db = db;
    }

    @GetMapping("/api/staff/notifications")
    Flux<NotificationView> list(@RequestParam(required = false) String recipient,
                                @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ClinicException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        boolean byRecipient = recipient != null && !recipient.isBlank();
        var spec = db.sql("select id, source_event_id, source_event_type, channel, recipient, template, status, "
                        + "attempts, created_at, sent_at from notification "
                        + (byRecipient ? "where lower(recipient) = lower(:recipient) " : "")
                        + "order by created_at desc, id limit :limit")
                .bind("limit", limit);
        if (byRecipient) spec = spec.bind("recipient", recipient.trim());
        return spec.map((row, meta) -> new NotificationView(
                        row.get("id", UUID.class).toString(),
                        row.get("source_event_id", String.class),
                        row.get("source_event_type", String.class),
                        row.get("channel", String.class),
                        row.get("recipient", String.class),
                        row.get("template", String.class),
                        row.get("status", String.class),
                        row.get("attempts", Integer.class),
                        instant(row.get("created_at", OffsetDateTime.class)),
                        instant(row.get("sent_at", OffsetDateTime.class))))
                .all();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
