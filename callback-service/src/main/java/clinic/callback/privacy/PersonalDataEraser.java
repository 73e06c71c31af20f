package clinic.callback.privacy;

import clinic.callback.config.CallbackProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Erases name, phone, email, message and staff notes of requests completed longer ago than
 * {@code clinic.callbacks.retention}. Idempotent and safe to run on every instance at once: a
 * request is erased by whichever run gets to it first, the others find nothing to do.
 * Published events leave the outbox table after the kit's (shorter) outbox retention.
 */
@Component
public class PersonalDataEraser {
    private static final Logger log = LoggerFactory.getLogger(PersonalDataEraser.class);
    /** Idempotency keys only matter for client retries, which happen within minutes. */
    private static final Duration IDEMPOTENCY_KEY_TTL = Duration.ofDays(1);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final CallbackProperties props;
    private final Clock clock;

    PersonalDataEraser(DatabaseClient db, TransactionalOperator tx, CallbackProperties props, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.props = props;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${clinic.callbacks.erasure-interval:1h}", initialDelayString = "1m")
    public Mono<Void> scheduled() {
        return eraseExpired()
                .doOnNext(n -> { if (n > 0) log.info("callbacks: erased personal data of {} completed request(s)", n); })
                .then(db.sql("delete from idempotency_key where created_at < :cutoff")
                        .bind("cutoff", clock.instant().minus(IDEMPOTENCY_KEY_TTL)).fetch().rowsUpdated())
                .onErrorResume(e -> {
                    log.warn("callbacks: erasure failed, will retry: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** @return how many requests were erased by this run */
    public Mono<Long> eraseExpired() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return tx.transactional(db.sql("""
                        with erased as (
                            update callback_request
                               set name = null, phone = null, email = null, message = null, completion_note = null,
                                   erased_at = :now
                             where status = 'COMPLETED' and completed_at < :cutoff and erased_at is null
                            returning id),
                        notes as (
                            update callback_attempt set note = null where callback_id in (select id from erased))
                        select count(*) as n from erased
                        """)
                .bind("now", now).bind("cutoff", now.minus(props.retention()))
                .map((row, meta) -> row.get("n", Long.class))
                .one());
    }
}
