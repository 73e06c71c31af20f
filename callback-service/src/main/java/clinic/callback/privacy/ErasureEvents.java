package clinic.callback.privacy;

import clinic.contracts.privacy.ErasureCompleted;
import clinic.contracts.privacy.ErasureRequested;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.audit.AuditLog;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.kit.outbox.Outbox;
import clinic.kit.privacy.ErasureSubjects;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Erasure on request, callback-service's part (docs/privacy.md), once per event through the kit's
 * inbox: the address comes from booking-service (never from the topic); every request of that address
 * loses its name, phone, email, message and completion note, its attempts their notes (as the
 * retention job does, {@link PersonalDataEraser}); ids, times, status, outcome and location stay for
 * analytics, and consents stay as proof of what was agreed (they hold no personal data themselves).
 * A request still open stays on the board without anyone to ring (its card shows no contact). Then
 * {@code privacy.erasure_completed.v1}, in the same transaction. Completions of the other services are
 * declined before any transaction.
 */
@Component
class ErasureEvents implements EventHandler {
    static final String SERVICE = "callback-service";
    private static final Logger log = LoggerFactory.getLogger(ErasureEvents.class);

    private final ErasureSubjects subjects;
    private final DatabaseClient db;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    ErasureEvents(ErasureSubjects subjects, DatabaseClient db, Outbox outbox, AuditLog audit, Clock clock) {
        this.subjects = subjects;
        this.db = db;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Collection<String> topics() {
        return List.of(PrivacyTopics.TOPIC);
    }

    @Override
    public String consumerName() {
        return "privacy-events";
    }

    @Override
    public boolean wants(InboundEvent e) {
        return PrivacyTopics.ERASURE_REQUESTED.equals(e.type());
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        if (!wants(e)) return Mono.empty();
        String id = e.payloadAs(ErasureRequested.class).erasureId();
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has an erasureId that is not a UUID", ex);
        }
        return subjects.email(id)
                .flatMap(this::erase)
                .defaultIfEmpty(0L)
                .flatMap(n -> audit.record(AuditLog.system(SERVICE), "privacy.erased", "erasure/" + id,
                        Map.of("callbacks", n)))
                .then(outbox.append(PrivacyTopics.TOPIC, id, PrivacyTopics.ERASURE_COMPLETED,
                        new ErasureCompleted(id, SERVICE)))
                .doOnSuccess(x -> log.info("erasure {}: callbacks erased", id))
                .then();
    }

    /** @return how many requests were erased */
    Mono<Long> erase(String email) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return db.sql("""
                        with erased as (
                            update callback_request
                               set name = null, phone = null, email = null, message = null, completion_note = null,
                                   erased_at = :now
                             where lower(email) = lower(:email) and erased_at is null
                            returning id),
                        notes as (
                            update callback_attempt set note = null where callback_id in (select id from erased))
                        select count(*) as n from erased
                        """)
                .bind("now", now).bind("email", email.trim())
                .map((row, meta) -> row.get("n", Long.class))
                .one();
    }
}
