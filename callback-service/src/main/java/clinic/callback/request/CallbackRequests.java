package clinic.callback.request;

import clinic.callback.config.CallbackProperties;
import clinic.callback.sla.WorkingHours;
import clinic.callback.task.TaskChanges;
import clinic.contracts.callback.CallbackRequestedV2;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.outbox.Outbox;
import clinic.kit.web.IdempotencyKeys;
import clinic.kit.web.PhoneNumbers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Turns a customer's request into an OPEN task with its consents, its event and its stream row,
 * all in one transaction. Abuse guards: a filled honeypot is answered but dropped; the same phone
 * while its request is still open within the duplicate window gets that request back.
 */
@Service
public class CallbackRequests {
    private static final Logger log = LoggerFactory.getLogger(CallbackRequests.class);
    /** Two-int advisory lock class for "one request per phone at a time" (the low int is the phone's hash). */
    private static final int PHONE_LOCK_CLASS = 0x0CB0;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final TaskChanges changes;
    private final CallbackProperties props;
    private final WorkingHours workingHours;
    private final ObjectMapper mapper;
    private final Clock clock;

    CallbackRequests(DatabaseClient db, TransactionalOperator tx, Outbox outbox, TaskChanges changes,
                     CallbackProperties props, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.changes = changes;
        this.props = props;
        this.workingHours = WorkingHours.of(props);
        this.mapper = mapper;
        this.clock = clock;
    }

    /** @return the id of the request the customer should see (new, or the open duplicate) */
    public Mono<UUID> request(CallbackRequestForm form, String idempotencyKey) {
        if (form.filledHoneypot()) {
            // Indistinguishable from success for the bot; nothing stored, nothing published.
            log.info("callback request dropped: honeypot field filled");
            return Mono.just(UUID.randomUUID());
        }
        String phone = PhoneNumbers.required(form.phone(), "phone");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Mono<UUID> work = openDuplicate(phone, now).switchIfEmpty(Mono.defer(() -> create(form, phone, now)));
        if (idempotencyKey == null) return tx.transactional(work);
        String fingerprint = fingerprint(form);
        return tx.transactional(claimKey(idempotencyKey, fingerprint, now).flatMap(firstUse -> firstUse
                ? work.flatMap(id -> db.sql("update idempotency_key set callback_id = :id where key = :key")
                        .bind("id", id).bind("key", idempotencyKey).fetch().rowsUpdated().thenReturn(id))
                : earlierAnswer(idempotencyKey, fingerprint)));
    }

    /**
     * Inserting the key first makes a concurrent twin wait on it until this transaction ends, then
     * see the stored answer: one key, one request.
     */
    private Mono<Boolean> claimKey(String key, String fingerprint, Instant now) {
        return db.sql("""
                        insert into idempotency_key (key, body_sha256, created_at) values (:key, :fp, :now)
                        on conflict (key) do nothing
                        """)
                .bind("key", key).bind("fp", fingerprint).bind("now", now)
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    private Mono<UUID> earlierAnswer(String key, String fingerprint) {
        return db.sql("select body_sha256, callback_id from idempotency_key where key = :key").bind("key", key)
                .map((row, meta) -> {
                    if (!fingerprint.equals(row.get("body_sha256", String.class))) throw new IdempotencyKeys.Reused();
                    return row.get("callback_id", UUID.class);
                })
                .one();
    }

    /** Serialised per phone (advisory lock until commit), so two simultaneous duplicates make one task. */
    private Mono<UUID> openDuplicate(String phone, Instant now) {
        return db.sql("select pg_advisory_xact_lock(:c, hashtext(:phone))")
                .bind("c", PHONE_LOCK_CLASS).bind("phone", phone)
                .fetch().rowsUpdated()
                .then(db.sql("""
                                select id from callback_request
                                 where phone = :phone and status = 'OPEN' and requested_at > :since
                                 order by requested_at desc limit 1
                                """)
                        .bind("phone", phone).bind("since", now.minus(props.duplicateWindow()))
                        .map((row, meta) -> row.get("id", UUID.class))
                        .one());
    }

    private Mono<UUID> create(CallbackRequestForm form, String phone, Instant now) {
        UUID id = UUID.randomUUID();
        Instant dueAt = workingHours.plus(now, props.responseTarget());
        String name = form.name().strip();
        String email = blankToNull(form.email());
        String message = blankToNull(form.message());
        String policyVersion = form.consent().policyVersion().strip();
        boolean marketing = Boolean.TRUE.equals(form.marketingOptIn());
        // Ids only on the topic (docs/adr/0007): notification-service asks for the contact by id.
        var event = new CallbackRequestedV2(id.toString(), form.locationId(), form.preferredTime(), email != null,
                marketing, policyVersion, now, dueAt);
        return db.sql("""
                        insert into callback_request
                          (id, name, phone, email, location_id, preferred_time, message, marketing_opt_in,
                           status, requested_at, due_at)
                        values (:id, :name, :phone, :email, :location, :preferred, :message, :marketing,
                                'OPEN', :requestedAt, :dueAt)
                        """)
                .bind("id", id).bind("name", name).bind("phone", phone)
                .bind("email", Parameter.fromOrEmpty(email, String.class))
                .bind("location", Parameter.fromOrEmpty(form.locationId(), String.class))
                .bind("preferred", Parameter.fromOrEmpty(form.preferredTime(), String.class))
                .bind("message", Parameter.fromOrEmpty(message, String.class))
                .bind("marketing", marketing).bind("requestedAt", now).bind("dueAt", dueAt)
                .fetch().rowsUpdated()
                .then(db.sql("""
                                insert into consent (callback_id, purpose, granted, policy_version, recorded_at)
                                values (:id, 'TERMS_AND_PRIVACY', true, :version, :at),
                                       (:id, 'MARKETING', :marketing, :version, :at)
                                """)
                        .bind("id", id).bind("version", policyVersion).bind("at", now).bind("marketing", marketing)
                        .fetch().rowsUpdated())
                .then(outbox.append(CallbackTopics.TOPIC, id.toString(), CallbackTopics.REQUESTED_V2, event))
                .then(changes.record(id, TaskChanges.REQUESTED))
                .thenReturn(id);
    }

    private String fingerprint(CallbackRequestForm form) {
        try {
            return IdempotencyKeys.requestHash(mapper.writeValueAsBytes(form));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a callback request", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
