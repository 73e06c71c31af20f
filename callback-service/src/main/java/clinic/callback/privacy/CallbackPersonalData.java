package clinic.callback.privacy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** What callback-service holds about one person, found by their email address (case-insensitive). */
@Service
public class CallbackPersonalData {
    private final DatabaseClient db;

    CallbackPersonalData(DatabaseClient db) {
        this.db = db;
    }

    public record Attempt(int number, String outcome, String note, Instant attemptedAt) {}

    public record ExportedCallback(String id, String name, String phone, String email, String locationId,
                                   String preferredTime, String message, boolean marketingOptIn, String status,
                                   Instant requestedAt, Instant completedAt, String outcome, String completionNote,
                                   String bookingReference, List<Attempt> attempts) {}

    /** What the person agreed to (or declined), under which policy version, when. */
    public record Consent(String callbackId, String purpose, boolean granted, String policyVersion,
                          Instant recordedAt) {}

    public record Export(List<ExportedCallback> callbacks, List<Consent> consents) {}

    public Mono<Export> export(String email) {
        Mono<List<Map<String, Object>>> requests = db.sql("""
                        select * from callback_request
                        where lower(email) = lower(:email) and erased_at is null
                        order by requested_at desc""")
                .bind("email", email.trim()).fetch().all().collectList();
        return requests.flatMap(rows -> {
            if (rows.isEmpty()) return Mono.just(new Export(List.of(), List.of()));
            List<UUID> ids = rows.stream().map(r -> (UUID) r.get("id")).toList();
            Mono<List<Map<String, Object>>> attempts = db.sql(
                            "select * from callback_attempt where callback_id = any(:ids) order by attempt_number")
                    .bind("ids", ids.toArray(UUID[]::new)).fetch().all().collectList();
            Mono<List<Consent>> consents = db.sql(
                            "select * from consent where callback_id = any(:ids) order by recorded_at, purpose")
                    .bind("ids", ids.toArray(UUID[]::new))
                    .map((r, m) -> new Consent(r.get("callback_id", UUID.class).toString(), r.get("purpose", String.class),
                            Boolean.TRUE.equals(r.get("granted", Boolean.class)), r.get("policy_version", String.class),
                            instant(r.get("recorded_at", OffsetDateTime.class))))
                    .all().collectList();
            return Mono.zip(attempts, consents).map(t -> {
                Map<UUID, List<Attempt>> byCallback = new LinkedHashMap<>();
                for (Map<String, Object> a : t.getT1()) {
                    byCallback.computeIfAbsent((UUID) a.get("callback_id"), k -> new ArrayList<>())
                            .add(new Attempt((Integer) a.get("attempt_number"), (String) a.get("outcome"),
                                    (String) a.get("note"), instant(a.get("attempted_at"))));
                }
                List<ExportedCallback> callbacks = rows.stream().map(r -> new ExportedCallback(
                        r.get("id").toString(), (String) r.get("name"), (String) r.get("phone"), (String) r.get("email"),
                        (String) r.get("location_id"), (String) r.get("preferred_time"), (String) r.get("message"),
                        Boolean.TRUE.equals(r.get("marketing_opt_in")), (String) r.get("status"),
                        instant(r.get("requested_at")), instant(r.get("completed_at")), (String) r.get("outcome"),
                        (String) r.get("completion_note"), (String) r.get("booking_reference"),
                        byCallback.getOrDefault((UUID) r.get("id"), List.of()))).toList();
                return new Export(callbacks, t.getT2());
            });
        });
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof Instant i) return i;
        return null;
    }
}
