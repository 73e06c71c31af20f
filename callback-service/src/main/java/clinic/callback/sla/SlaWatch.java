package clinic.callback.sla;

import clinic.contracts.callback.CallbackSlaBreached;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Publishes {@code callback.sla_breached.v1} once per task that passes its due time unfinished.
 * "Once" is the database's doing: the conditional UPDATE marks a task breached only while it is
 * unmarked, so however many instances (or runs) race, one marks it and appends the event with it.
 */
@Component
public class SlaWatch {
    private static final Logger log = LoggerFactory.getLogger(SlaWatch.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final Clock clock;

    SlaWatch(DatabaseClient db, TransactionalOperator tx, Outbox outbox, Clock clock) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${clinic.callbacks.sla-check-interval:30s}", initialDelayString = "5s")
    public Mono<Void> scheduled() {
        return breachOverdue()
                .doOnNext(n -> { if (n > 0) log.info("callbacks: {} task(s) breached their response target", n); })
                .onErrorResume(e -> {
                    log.warn("callbacks: SLA check failed, will retry: {}", e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** @return how many tasks were marked breached by this run */
    public Mono<Long> breachOverdue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return tx.transactional(db.sql("""
                        update callback_request set sla_breached_at = :now
                         where status <> 'COMPLETED' and due_at < :now and sla_breached_at is null
                        returning id, location_id, requested_at, due_at
                        """)
                .bind("now", now)
                .map((row, meta) -> new CallbackSlaBreached(row.get("id", UUID.class).toString(),
                        row.get("location_id", String.class), row.get("requested_at", Instant.class),
                        row.get("due_at", Instant.class), now))
                .all()
                .concatMap(e -> outbox.append(CallbackTopics.TOPIC, e.callbackId(), CallbackTopics.SLA_BREACHED, e))
                .count());
    }
}
