package clinic.callback.sla;

import clinic.contracts.callback.CallbackSlaBreached;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Metrics: {@code clinic.callbacks.sla.breaches} counts the tasks this instance marked (after
 * the commit, so the sum over instances is the number of breaches); the gauge
 * {@code clinic.callbacks.sla.overdue} is how many unfinished tasks are past their due time now,
 * as of the last check (the same for every instance: take the max, not the sum).
 */
@Component
public class SlaWatch {
    private static final Logger log = LoggerFactory.getLogger(SlaWatch.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Outbox outbox;
    private final Clock clock;
    private final Counter breaches;
    private final AtomicLong overdue = new AtomicLong();

    SlaWatch(DatabaseClient db, TransactionalOperator tx, Outbox outbox, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
        this.breaches = Counter.builder("clinic.callbacks.sla.breaches")
                .description("Callback requests that passed their response target unfinished").register(meters);
        Gauge.builder("clinic.callbacks.sla.overdue", overdue, AtomicLong::get)
                .description("Unfinished callback requests past their response target, at the last check")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${clinic.callbacks.sla-check-interval:30s}", initialDelayString = "5s")
    public Mono<Void> scheduled() {
        return breachOverdue()
                .doOnNext(n -> { if (n > 0) log.info("callbacks: {} task(s) breached their response target", n); })
                .then(countOverdue())
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
                .count())
                .doOnNext(breaches::increment);
    }

    /**
     * Refreshes the overdue gauge: unfinished tasks past their due time, two range scans of the
     * (status, due_at) index that stay short unless staff fall far behind.
     */
    public Mono<Long> countOverdue() {
        return db.sql("select count(*) as n from callback_request where status in ('OPEN', 'CLAIMED') and due_at < :now")
                .bind("now", clock.instant())
                .map(row -> row.get("n", Long.class))
                .one()
                .doOnNext(overdue::set);
    }
}
