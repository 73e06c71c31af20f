package clinic.callback.task;

import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads tasks as staff see them; {@code overdue} is judged at read time. */
@Component
public class TaskQueries {
    private static final String COLUMNS = """
            id, name, phone, email, location_id, preferred_time, message, status, claimed_by, claimed_at,
            requested_at, due_at, completed_at, completed_by, outcome, completion_note, booking_reference
            """;

    private final DatabaseClient db;
    private final Clock clock;

    TaskQueries(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Mono<TaskView> find(UUID id) {
        return db.sql("select " + COLUMNS + " from callback_request where id = :id").bind("id", id)
                .map(TaskQueries::row).one()
                .flatMap(r -> attempts(List.of(id)).map(a -> r.toView(a.getOrDefault(id, List.of()), clock.instant())));
    }

    /** Most urgent first. Null filters match everything. */
    public Flux<TaskView> list(TaskStatus status, String locationId, int limit) {
        var spec = db.sql("select " + COLUMNS + """
                 from callback_request
                where (cast(:status as text) is null or status = :status)
                  and (cast(:location as text) is null or location_id = :location)
                order by due_at, requested_at
                limit :limit
                """)
                .bind("status", org.springframework.r2dbc.core.Parameter.fromOrEmpty(
                        status == null ? null : status.name(), String.class))
                .bind("location", org.springframework.r2dbc.core.Parameter.fromOrEmpty(locationId, String.class))
                .bind("limit", limit);
        return spec.map(TaskQueries::row).all().collectList().flatMapMany(rows -> {
            if (rows.isEmpty()) return Flux.empty();
            Instant now = clock.instant();
            return attempts(rows.stream().map(Row::id).toList()).flatMapMany(a -> Flux.fromIterable(rows)
                    .map(r -> r.toView(a.getOrDefault(r.id(), List.of()), now)));
        });
    }

    private Mono<Map<UUID, List<TaskView.Attempt>>> attempts(List<UUID> ids) {
        return db.sql("""
                select callback_id, outcome, note, attempted_by, attempted_at from callback_attempt
                 where callback_id = any(:ids) order by callback_id, attempt_number
                """)
                .bind("ids", ids.toArray(UUID[]::new))
                .map((row, meta) -> Map.entry(row.get("callback_id", UUID.class), new TaskView.Attempt(
                        row.get("outcome", String.class), row.get("note", String.class),
                        row.get("attempted_by", String.class), row.get("attempted_at", Instant.class))))
                .all()
                .collect(HashMap::new, (map, e) -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    }

    private static Row row(Readable r) {
        return new Row(r.get("id", UUID.class), r.get("name", String.class), r.get("phone", String.class),
                r.get("email", String.class), r.get("location_id", String.class), r.get("preferred_time", String.class),
                r.get("message", String.class), r.get("status", String.class), r.get("claimed_by", String.class),
                r.get("claimed_at", Instant.class), r.get("requested_at", Instant.class), r.get("due_at", Instant.class),
                r.get("completed_at", Instant.class), r.get("completed_by", String.class), r.get("outcome", String.class),
                r.get("completion_note", String.class), r.get("booking_reference", String.class));
    }

    private record Row(UUID id, String name, String phone, String email, String locationId, String preferredTime,
                       String message, String status, String claimedBy, Instant claimedAt, Instant requestedAt,
                       Instant dueAt, Instant completedAt, String completedBy, String outcome, String completionNote,
                       String bookingReference) {
        TaskView toView(List<TaskView.Attempt> attempts, Instant now) {
            boolean overdue = !TaskStatus.COMPLETED.name().equals(status) && now.isAfter(dueAt);
            return new TaskView(id, name, phone, email, locationId, preferredTime, message, status, claimedBy,
                    claimedAt, requestedAt, dueAt, overdue, List.copyOf(attempts), completedAt, completedBy, outcome,
                    completionNote, bookingReference);
        }
    }
}
