package clinic.booking.privacy;

import clinic.contracts.privacy.ErasureCompleted;
import clinic.contracts.privacy.ErasureRequested;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Erasure on request, booking-service's two roles (docs/privacy.md): the owner of the request (its
 * status per service, the address while it is open) and one of the services that erase their own rows.
 */
@Service
public class Erasures {
    static final String SERVICE = "booking-service";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    Erasures(DatabaseClient db, TransactionalOperator tx, Outbox outbox, AuditLog audit, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code services}: service name → PENDING or DONE, in {@link PrivacyTopics#ERASING_SERVICES} order. */
    public record Status(String id, String status, Map<String, String> services) {}

    /**
     * Opens a request: the row, one pending row per erasing service, the audit entry (the id and the
     * reason's length, never the address) and {@code privacy.erasure_requested.v1} (no address either),
     * all in one transaction.
     */
    public Mono<Status> request(String email, String reason, String actor) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int reasonLength = reason == null ? 0 : reason.length();
        Mono<Void> work = db.sql("""
                        insert into erasure_request (id, email, requested_by, requested_at, reason_length)
                        values (:id, :email, :actor, :now, :len)""")
                .bind("id", id).bind("email", email.trim()).bind("actor", actor).bind("now", now)
                .bind("len", reasonLength)
                .fetch().rowsUpdated()
                .thenMany(Flux.fromIterable(PrivacyTopics.ERASING_SERVICES).concatMap(s -> db.sql(
                                "insert into erasure_service (erasure_id, service) values (:id, :service)")
                        .bind("id", id).bind("service", s).fetch().rowsUpdated()))
                .then(audit.record(actor, "privacy.erasure_requested", "erasure/" + id,
                        Map.of("reasonLength", reasonLength)))
                .then(outbox.append(PrivacyTopics.TOPIC, id.toString(), PrivacyTopics.ERASURE_REQUESTED,
                        new ErasureRequested(id.toString(), now)))
                .then();
        return tx.transactional(work).then(Mono.defer(() -> status(id)));
    }

    /** Empty for an unknown id. */
    public Mono<Status> status(UUID id) {
        Mono<String> status = db.sql("select status from erasure_request where id = :id")
                .bind("id", id).map(r -> r.get("status", String.class)).one();
        Mono<Map<String, String>> services = db.sql("""
                        select service, done_at is not null as done from erasure_service where erasure_id = :id""")
                .bind("id", id)
                .map(r -> Map.entry(r.get("service", String.class), Boolean.TRUE.equals(r.get("done", Boolean.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(done -> {
                    Map<String, String> ordered = new LinkedHashMap<>();
                    for (String s : PrivacyTopics.ERASING_SERVICES) {
                        if (done.containsKey(s)) ordered.put(s, done.get(s) ? "DONE" : "PENDING");
                    }
                    return ordered;
                });
        return status.zipWith(services, (s, per) -> new Status(id.toString(), s, per));
    }

    /** The address of an open request: present only while it is PENDING. */
    public record Subject(String erasureId, String status, String email) {}

    public Mono<Subject> subject(UUID id) {
        return db.sql("select status, email from erasure_request where id = :id")
                .bind("id", id)
                .map(r -> new Subject(id.toString(), r.get("status", String.class), r.get("email", String.class)))
                .one();
    }

    /**
     * booking-service's own part, inside the inbox's transaction: the person's bookings keep their ids,
     * dates, prices, location, treatment, therapist and promo code (the books and analytics are
     * unchanged); name, email, phone, notes and the cancel reason go, and both manage-token hashes are
     * replaced (the customer's by the hash of a random value nobody holds, as the column is required)
     * so the manage link dies. Then the completion, through the outbox.
     */
    Mono<Void> eraseOwnRows(UUID erasureId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return subject(erasureId)
                .filter(s -> s.email() != null)
                .flatMap(s -> db.sql("""
                                update booking set customer_name = null, customer_email = null, customer_phone = null,
                                    notes = null, cancel_reason = null, mail_token_hash = null,
                                    manage_token_hash = sha256(convert_to(gen_random_uuid()::text, 'UTF8')),
                                    anonymised_at = :now
                                where lower(customer_email) = lower(:email) and anonymised_at is null""")
                        .bind("now", now).bind("email", s.email())
                        .fetch().rowsUpdated())
                .defaultIfEmpty(0L)
                .flatMap(n -> audit.record(AuditLog.system(SERVICE), "privacy.erased", "erasure/" + erasureId,
                        Map.of("bookings", n)))
                .then(outbox.append(PrivacyTopics.TOPIC, erasureId.toString(), PrivacyTopics.ERASURE_COMPLETED,
                        new ErasureCompleted(erasureId.toString(), SERVICE)))
                .then();
    }

    /**
     * A service reported (inside the inbox's transaction). When no service is left pending the request
     * is DONE and its address cleared, in one conditional statement.
     */
    Mono<Void> markDone(UUID erasureId, String service) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return db.sql("""
                        update erasure_service set done_at = :now
                        where erasure_id = :id and service = :service and done_at is null""")
                .bind("now", now).bind("id", erasureId).bind("service", service)
                .fetch().rowsUpdated()
                .then(db.sql("""
                                update erasure_request set status = 'DONE', email = null, completed_at = :now
                                where id = :id and status = 'PENDING'
                                  and not exists (select 1 from erasure_service
                                                  where erasure_id = :id and done_at is null)""")
                        .bind("now", now).bind("id", erasureId)
                        .fetch().rowsUpdated())
                .then();
    }
}
