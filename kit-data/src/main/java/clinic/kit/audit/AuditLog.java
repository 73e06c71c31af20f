package clinic.kit.audit;

import clinic.kit.security.ClinicPrincipal;
import clinic.kit.web.RequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records audited writes in the owning service's database. {@link #record} belongs inside the
 * transaction of the change (the entry then commits or rolls back with it); details hold what a
 * reader needs (before/after of changed fields) and never secrets or customers' contact details.
 */
public class AuditLog {
    /** Actor of changes the platform makes by itself (seeders, scheduled jobs). */
    public static String system(String service) {
        return "system:" + service;
    }

    private final DatabaseClient db;
    private final ObjectMapper mapper;
    private final String service;
    private final Clock clock;

    public AuditLog(DatabaseClient db, ObjectMapper mapper, String service, Clock clock) {
        this.db = db;
        this.mapper = mapper;
        this.service = service;
        this.clock = clock;
    }

    public Mono<Void> record(ClinicPrincipal actor, String action, String target, Map<String, ?> details) {
        return record(actor.username(), action, target, details);
    }

    public Mono<Void> record(String actor, String action, String target, Map<String, ?> details) {
        String json;
        try {
            json = details == null || details.isEmpty() ? null : mapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            return Mono.error(new IllegalArgumentException("audit details are not serialisable: " + action, e));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return RequestContext.current()
                .map(ctx -> ctx.requestId() == null ? "" : ctx.requestId())
                .defaultIfEmpty("")
                .flatMap(requestId -> {
                    var spec = db.sql("""
                            insert into audit_entry (at, actor, action, target, details, request_id)
                            values (:at, :actor, :action, :target, :details, :requestId)""")
                            .bind("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                            .bind("actor", actor)
                            .bind("action", action)
                            .bind("target", target);
                    spec = json == null ? spec.bindNull("details", String.class) : spec.bind("details", json);
                    spec = requestId.isEmpty() ? spec.bindNull("requestId", String.class) : spec.bind("requestId", requestId);
                    return spec.then();
                });
    }

    /** Newest first; {@code from}/{@code to} are inclusive/exclusive instants, either may be null. */
    public Flux<AuditEntry> find(Instant from, Instant to, String actor, int limit) {
        StringBuilder sql = new StringBuilder("select at, actor, action, target, details from audit_entry where true");
        if (from != null) sql.append(" and at >= :from");
        if (to != null) sql.append(" and at < :to");
        if (actor != null) sql.append(" and actor = :actor");
        sql.append(" order by at desc, id desc limit :limit");
        var spec = db.sql(sql.toString());
        if (from != null) spec = spec.bind("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        if (to != null) spec = spec.bind("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        if (actor != null) spec = spec.bind("actor", actor);
        return spec.bind("limit", limit).map(this::entry).all();
    }

    private AuditEntry entry(Readable row) {
        String details = row.get("details", String.class);
        JsonNode node = null;
        if (details != null) {
            try {
                node = mapper.readTree(details);
            } catch (JsonProcessingException e) {
                node = mapper.getNodeFactory().textNode(details);
            }
        }
        return new AuditEntry(row.get("at", OffsetDateTime.class).toInstant(), service, row.get("actor", String.class),
                row.get("action", String.class), row.get("target", String.class), node);
    }
}
