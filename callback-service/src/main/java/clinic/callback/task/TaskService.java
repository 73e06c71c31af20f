package clinic.callback.task;

import clinic.callback.task.TaskErrors.AlreadyClaimed;
import clinic.callback.task.TaskErrors.AlreadyCompleted;
import clinic.callback.task.TaskErrors.ClaimedByOther;
import clinic.contracts.callback.CallbackAttemptedV2;
import clinic.contracts.callback.CallbackClaimed;
import clinic.contracts.callback.CallbackCompletedV2;
import clinic.contracts.callback.CallbackReleased;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Staff actions on a task. Who may act is decided by the database: a claim is one
 * compare-and-set UPDATE, and attempts and completion lock the row before checking the holder.
 * Every change appends its event, its stream row and its audit entry in the same transaction. Audit
 * details say what happened (outcome, how long the note is) and never what the customer or the note
 * said: the audit log outlives the erasure of a request's personal data.
 */
@Service
public class TaskService {
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final TaskChanges changes;
    private final TaskQueries queries;
    private final AuditLog audit;
    private final Clock clock;

    TaskService(DatabaseClient db, TransactionalOperator tx, Outbox outbox, TaskChanges changes, TaskQueries queries,
                AuditLog audit, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.changes = changes;
        this.queries = queries;
        this.audit = audit;
        this.clock = clock;
    }

    public Mono<TaskView> claim(UUID id, String who) {
        Instant now = now();
        Mono<Boolean> work = claimIfOpen(id, who, now)
                .filter(claimed -> claimed)
                .switchIfEmpty(Mono.defer(() -> state(id).map(s -> {
                    if (TaskStatus.COMPLETED.name().equals(s.status())) throw new AlreadyCompleted();
                    if (!who.equals(s.claimedBy())) throw new AlreadyClaimed();
                    return false; // already ours: claiming again is a no-op
                })));
        return tx.transactional(work).then(queries.find(id));
    }

    public Mono<TaskView> attempt(UUID id, String who, AttemptOutcome outcome, String note) {
        Instant now = now();
        Mono<Long> work = lockForAction(id, who, now).flatMap(held -> db.sql("""
                        insert into callback_attempt (callback_id, attempt_number, outcome, note, attempted_by, attempted_at)
                        values (:id, :n, :outcome, :note, :by, :at)
                        """)
                .bind("id", id).bind("n", held.attempts() + 1).bind("outcome", outcome.name())
                .bind("note", Parameter.fromOrEmpty(note, String.class)).bind("by", who).bind("at", now)
                .fetch().rowsUpdated()
                // The note stays here: free text about a customer does not go on a topic (docs/adr/0007).
                .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.ATTEMPTED_V2,
                        new CallbackAttemptedV2(id.toString(), held.attempts() + 1, outcome.name(), who, now,
                                held.requestedAt(), held.locationId())))
                .then(audit.record(who, "callback.attempted", target(id), details(
                        "attempt", held.attempts() + 1, "outcome", outcome.name(), "noteLength", length(note))))
                .then(changes.record(id, TaskChanges.ATTEMPTED)));
        return tx.transactional(work).then(queries.find(id));
    }

    /**
     * Puts a claimed task back on the open list. The holder may hand it back; an admin may release
     * anyone's claim (someone went home with tasks claimed). An open task is left as it is (a
     * second click, or a colleague was faster): answered with the task, nothing written.
     */
    public Mono<TaskView> release(UUID id, String who, boolean admin) {
        Instant now = now();
        Mono<Void> work = lockRow(id).flatMap(s -> {
            if (TaskStatus.COMPLETED.name().equals(s.status())) return Mono.error(new AlreadyCompleted());
            if (TaskStatus.OPEN.name().equals(s.status())) return Mono.<Void>empty();
            if (!admin && !who.equals(s.claimedBy())) return Mono.error(new ClaimedByOther());
            return db.sql("""
                            update callback_request set status = 'OPEN', claimed_by = null, claimed_at = null
                             where id = :id and status = 'CLAIMED'
                            """)
                    .bind("id", id).fetch().rowsUpdated()
                    .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.RELEASED,
                            new CallbackReleased(id.toString(), who, s.claimedBy(), now, s.requestedAt())))
                    .then(audit.record(who, "callback.released", target(id), details(
                            "previousHolder", s.claimedBy(), "locationId", s.locationId())))
                    .then(changes.record(id, TaskChanges.RELEASED))
                    .then();
        });
        return tx.transactional(work).then(queries.find(id));
    }

    /**
     * An admin gives a task to a colleague (open, or claimed by someone else): it becomes theirs
     * as if they had claimed it, with a {@code callback.claimed.v1} naming them. The colleague's
     * own board shows it as "Claimed by you" at once through the stream.
     */
    public Mono<TaskView> reassign(UUID id, String to, String who) {
        Instant now = now();
        Mono<Void> work = lockRow(id).flatMap(s -> {
            if (TaskStatus.COMPLETED.name().equals(s.status())) return Mono.error(new AlreadyCompleted());
            if (to.equals(s.claimedBy())) return Mono.<Void>empty();
            return db.sql("""
                            update callback_request set status = 'CLAIMED', claimed_by = :to, claimed_at = :now
                             where id = :id and status <> 'COMPLETED'
                            """)
                    .bind("id", id).bind("to", to).bind("now", now).fetch().rowsUpdated()
                    .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.CLAIMED,
                            new CallbackClaimed(id.toString(), to, now, s.requestedAt())))
                    .then(audit.record(who, "callback.reassigned", target(id), details(
                            "from", s.claimedBy(), "to", to, "locationId", s.locationId())))
                    .then(changes.record(id, TaskChanges.CLAIMED))
                    .then();
        });
        return tx.transactional(work).then(queries.find(id));
    }

    /** The task's state, the row locked until commit; empty if there is no such task. */
    private Mono<State> locked(UUID id) {
        return read(id, " for update");
    }

    private Mono<State> lockRow(UUID id) {
        return locked(id).switchIfEmpty(Mono.error(TaskErrors::callbackNotFound));
    }

    private Mono<State> read(UUID id, String lock) {
        return db.sql("select status, claimed_by, requested_at, location_id from callback_request where id = :id" + lock)
                .bind("id", id)
                .map((row, meta) -> new State(row.get("status", String.class), row.get("claimed_by", String.class),
                        row.get("requested_at", Instant.class), row.get("location_id", String.class)))
                .one();
    }

    /**
     * Closes the task. {@code bookingReference} (outcome BOOKED only) links it to the booking it ended
     * in; it is checked for shape before anything is written (see {@link BookingReferences}).
     */
    public Mono<TaskView> complete(UUID id, String who, CompletionOutcome outcome, String note, String bookingReference) {
        return Mono.defer(() -> {
            String reference = BookingReferences.check(bookingReference, outcome);
            Instant now = now();
            Mono<Long> work = lockForAction(id, who, now).flatMap(held -> db.sql("""
                            update callback_request
                               set status = 'COMPLETED', completed_by = :by, completed_at = :at, outcome = :outcome,
                                   completion_note = :note, booking_reference = :reference
                             where id = :id and status = 'CLAIMED' and claimed_by = :by
                            """)
                    .bind("id", id).bind("by", who).bind("at", now).bind("outcome", outcome.name())
                    .bind("note", Parameter.fromOrEmpty(note, String.class))
                    .bind("reference", Parameter.fromOrEmpty(reference, String.class))
                    .fetch().rowsUpdated()
                    .flatMap(n -> n == 1 ? Mono.just(n)
                            : Mono.error(new IllegalStateException("locked task " + id + " changed under its lock")))
                    .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.COMPLETED_V2,
                            new CallbackCompletedV2(id.toString(), outcome.name(), who, now, held.requestedAt(),
                                    held.locationId(), held.attempts(), reference)))
                    .then(audit.record(who, "callback.completed", target(id), details(
                            "outcome", outcome.name(), "noteLength", length(note), "attempts", held.attempts(),
                            "bookingReference", reference)))
                    .then(changes.record(id, TaskChanges.COMPLETED)));
            return tx.transactional(work).then(queries.find(id));
        });
    }

    /**
     * A staff booking made for this caller ({@code booking.confirmed.v2}, or v1, with its callbackId):
     * completes the task BOOKED with the booking's reference, as the staff user who booked it,
     * whoever held the claim (the booking happened; the board should say so). A task already
     * completed, or unknown here, is left as it is: this runs from an event and nobody is waiting
     * for an error. Returns whether it completed the task.
     */
    public Mono<Boolean> completeBooked(UUID id, String who, String bookingReference) {
        return Mono.defer(() -> {
            String reference = BookingReferences.check(bookingReference, CompletionOutcome.BOOKED);
            Instant now = now();
            return locked(id)
                    .filter(s -> !TaskStatus.COMPLETED.name().equals(s.status()))
                    .flatMap(s -> db.sql("select count(*) as n from callback_attempt where callback_id = :id")
                            .bind("id", id).map((row, meta) -> row.get("n", Long.class)).one()
                            .flatMap(attempts -> db.sql("""
                                            update callback_request
                                               set status = 'COMPLETED', completed_by = :by, completed_at = :at,
                                                   outcome = 'BOOKED', booking_reference = :reference,
                                                   claimed_by = coalesce(claimed_by, :by),
                                                   claimed_at = coalesce(claimed_at, :at)
                                             where id = :id and status <> 'COMPLETED'
                                            """)
                                    .bind("id", id).bind("by", who).bind("at", now).bind("reference", reference)
                                    .fetch().rowsUpdated()
                                    // v2 like every completion: no note field at all (docs/adr/0007).
                                    .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.COMPLETED_V2,
                                            new CallbackCompletedV2(id.toString(), CompletionOutcome.BOOKED.name(),
                                                    who, now, s.requestedAt(), s.locationId(), attempts.intValue(),
                                                    reference)))
                                    .then(audit.record(who, "callback.completed", target(id), details(
                                            "outcome", CompletionOutcome.BOOKED.name(), "noteLength", 0,
                                            "attempts", attempts.intValue(), "bookingReference", reference,
                                            "via", "staff booking")))
                                    .then(changes.record(id, TaskChanges.COMPLETED))
                                    .thenReturn(true)))
                    .defaultIfEmpty(false);
        });
    }

    /** Compare-and-set: only an OPEN task can be claimed, so exactly one of many concurrent claimers wins. */
    private Mono<Boolean> claimIfOpen(UUID id, String who, Instant now) {
        return db.sql("""
                        update callback_request set status = 'CLAIMED', claimed_by = :who, claimed_at = :now
                         where id = :id and status = 'OPEN'
                        returning requested_at, location_id
                        """)
                .bind("id", id).bind("who", who).bind("now", now)
                .map((row, meta) -> new Claimed(row.get("requested_at", Instant.class), row.get("location_id", String.class)))
                .one()
                .flatMap(claimed -> outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.CLAIMED,
                                new CallbackClaimed(id.toString(), who, now, claimed.requestedAt()))
                        // Also when an attempt or a completion claims the task on the way: it is a claim all the same.
                        .then(audit.record(who, "callback.claimed", target(id), details("locationId", claimed.locationId())))
                        .then(changes.record(id, TaskChanges.CLAIMED))
                        .thenReturn(true))
                .defaultIfEmpty(false);
    }

    /**
     * An unclaimed task is claimed by the first attempt or completion; then the row is locked
     * until commit, so the holder check below cannot be overtaken by a concurrent action.
     */
    private Mono<Held> lockForAction(UUID id, String who, Instant now) {
        return claimIfOpen(id, who, now)
                .then(lockRow(id))
                .flatMap(s -> {
                    if (TaskStatus.COMPLETED.name().equals(s.status())) return Mono.error(new AlreadyCompleted());
                    if (!who.equals(s.claimedBy())) return Mono.error(new ClaimedByOther());
                    return db.sql("select count(*) as n from callback_attempt where callback_id = :id").bind("id", id)
                            .map((row, meta) -> row.get("n", Long.class)).one()
                            .map(n -> new Held(s.requestedAt(), s.locationId(), n.intValue()));
                });
    }

    private Mono<State> state(UUID id) {
        return read(id, "").switchIfEmpty(Mono.error(TaskErrors::callbackNotFound));
    }

    private static String target(UUID id) {
        return "callback/" + id;
    }

    private static int length(String note) {
        return note == null ? 0 : note.length();
    }

    /** Name/value pairs in order; a null value is left out (optional facts, such as a booking reference). */
    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private record State(String status, String claimedBy, Instant requestedAt, String locationId) {}

    private record Claimed(Instant requestedAt, String locationId) {}

    private record Held(Instant requestedAt, String locationId, int attempts) {}
}
