package clinic.callback.privacy;

import clinic.kit.audit.AuditLog;
import clinic.kit.outbox.Outbox;
import clinic.kit.privacy.ErasurePart;
import clinic.kit.privacy.ErasureSubjects;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
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
class ErasureEvents extends ErasurePart {
    static final String SERVICE = "callback-service";

    private final DatabaseClient db;
    private final Clock clock;

    ErasureEvents(ErasureSubjects subjects, DatabaseClient db, Outbox outbox, AuditLog audit, Clock clock) {
        super(SERVICE, subjects, outbox, audit);
        this.db = db;
        this.clock = clock;
    }

    /** @return how many requests were erased ({@code callbacks}) */
    @Override
    protected Mono<Map<String, Long>> erase(String email) {
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
                .one()
                .map(n -> Map.of("callbacks", n));
    }
}
