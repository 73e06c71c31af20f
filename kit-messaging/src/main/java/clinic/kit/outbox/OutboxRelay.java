package clinic.kit.outbox;

import clinic.kit.events.CloudEventHeaders;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Moves committed outbox rows to Kafka. One active relay per service database: each pass runs
 * in a transaction holding a transaction-scoped advisory lock, so with several instances only
 * one sends at a time and an aggregate's events keep their order. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, sent, and marked published only after Kafka acknowledged them
 * (acks=all); a failed send rolls the claim back and the rows are retried on the next pass.
 * A crash between Kafka's ack and the commit resends: consumers are idempotent by {@code ce_id}.
 * Each send is a PRODUCER span, child of the trace context stored in the row (the request or
 * event that appended it); the record's {@code traceparent} header names that span.
 */
public class OutboxRelay implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Same key for every service: each service has its own database, so locks never meet. */
    private static final long RELAY_LOCK = 0x0C11_1C0B_0000_0001L;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties props;
    private final Tracing tracing;
    private final Sinks.Many<Boolean> wakeUps = Sinks.many().multicast().directBestEffort();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestUnsentEpochMs = new AtomicLong();
    private final Counter published;
    private final Counter failures;
    private volatile Disposable loop;
    private volatile Disposable cleanup;
    private volatile long failingSince;

    public OutboxRelay(DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, String> kafka,
                       OutboxProperties props, MeterRegistry meters, Tracing tracing) {
        this.db = db;
        this.tx = tx;
        this.kafka = kafka;
        this.props = props;
        this.tracing = tracing;
        this.published = Counter.builder("clinic.outbox.published").register(meters);
        this.failures = Counter.builder("clinic.outbox.relay.failures").register(meters);
        Gauge.builder("clinic.outbox.backlog", backlog, AtomicLong::get).register(meters);
        Gauge.builder("clinic.outbox.oldest.unsent.age.seconds", oldestUnsentEpochMs,
                v -> v.get() == 0 ? 0 : (System.currentTimeMillis() - v.get()) / 1000.0).register(meters);
    }

    /** Called after a transaction that appended events commits: relay now instead of at the next tick. */
    public void wakeUp() {
        wakeUps.tryEmitNext(Boolean.TRUE);
    }

    /** Relays until nothing is waiting; emits how many events were published. */
    public Mono<Integer> drain() {
        return relayBatch()
                .expand(n -> n >= props.batchSize() ? relayBatch() : Mono.empty())
                .reduce(0, Integer::sum);
    }

    Mono<Integer> relayBatch() {
        Mono<Integer> pass = db.sql("select pg_try_advisory_xact_lock(:k) as locked")
                .bind("k", RELAY_LOCK)
                .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
                .one()
                .flatMap(locked -> locked ? claimAndSend() : Mono.just(0));
        return tx.transactional(pass);
    }

    private Mono<Integer> claimAndSend() {
        return db.sql("""
                        select id, event_id, topic, event_key, event_type, source, occurred_at, payload,
                               traceparent, request_id
                        from outbox_event
                        where published_at is null
                        order by id
                        limit :limit
                        for update skip locked
                        """)
                .bind("limit", props.batchSize())
                .map(row -> new Row(
                        row.get("id", Long.class),
                        row.get("event_id", UUID.class),
                        row.get("topic", String.class),
                        row.get("event_key", String.class),
                        row.get("event_type", String.class),
                        row.get("source", String.class),
                        row.get("occurred_at", OffsetDateTime.class).toInstant(),
                        row.get("payload", String.class),
                        row.get("traceparent", String.class),
                        row.get("request_id", String.class)))
                .all()
                .collectList()
                .flatMap(rows -> rows.isEmpty() ? Mono.just(0) : send(rows).then(markPublished(rows)));
    }

    /** Sends the batch and waits for every acknowledgement; any failure fails the whole pass. */
    private Mono<Void> send(List<Row> rows) {
        return Mono.fromCallable(() -> {
            List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
            for (Row r : rows) {
                ProducerRecord<String, String> record = new ProducerRecord<>(r.topic(), r.key(), r.payload());
                header(record, CloudEventHeaders.ID, r.eventId().toString());
                header(record, CloudEventHeaders.TYPE, r.type());
                header(record, CloudEventHeaders.SOURCE, r.source());
                header(record, CloudEventHeaders.TIME, r.occurredAt().toString());
                header(record, CloudEventHeaders.SPEC_VERSION, "1.0");
                header(record, CloudEventHeaders.CONTENT_TYPE, "application/json");
                // A row written outside any request or event (a scheduled job) starts its own trace here.
                TraceSpan span = tracing.start("publish " + r.topic(), Tracing.Kind.PRODUCER, r.traceparent())
                        .attribute("messaging.system", "kafka")
                        .attribute("messaging.operation.type", "send")
                        .attribute("messaging.destination.name", r.topic())
                        .attribute("messaging.kafka.message.key", r.key())
                        .attribute("messaging.message.id", r.eventId().toString())
                        .attribute("cloudevents.event_type", r.type())
                        .attribute("cloudevents.event_source", r.source());
                header(record, CloudEventHeaders.TRACEPARENT, span.traceparent());
                if (r.requestId() != null && !r.requestId().isBlank()) {
                    header(record, CloudEventHeaders.REQUEST_ID, r.requestId());
                }
                CompletableFuture<?> ack;
                try {
                    ack = kafka.send(record);
                } catch (RuntimeException e) {
                    span.error(e).end();
                    throw e;
                }
                // The span lasts until Kafka acknowledges (acks=all) or gives up.
                acks.add(ack.whenComplete((result, error) -> {
                    if (error != null) span.error(error);
                    span.end();
                }));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(props.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return rows.size();
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }

    private Mono<Integer> markPublished(List<Row> rows) {
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        return db.sql("update outbox_event set published_at = now(), attempts = attempts + 1 where id = any(:ids)")
                .bind("ids", ids)
                .fetch().rowsUpdated()
                .map(n -> {
                    published.increment(rows.size());
                    return rows.size();
                });
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    private Mono<Void> refreshBacklogGauges() {
        return db.sql("select count(*) as n, min(created_at) as oldest from outbox_event where published_at is null")
                .map(row -> {
                    backlog.set(row.get("n", Long.class));
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    oldestUnsentEpochMs.set(oldest == null ? 0 : oldest.toInstant().toEpochMilli());
                    return true;
                })
                .one().then();
    }

    /** Deletes rows published longer ago than the retention; they stay a while for diagnosis. */
    public Mono<Long> cleanUp() {
        return db.sql("delete from outbox_event where published_at < :cutoff")
                .bind("cutoff", OffsetDateTime.now().minus(props.retention()))
                .fetch().rowsUpdated();
    }

    @Override
    public void start() {
        Flux<Object> ticks = Flux.merge(Flux.interval(props.pollInterval()), wakeUps.asFlux())
                .onBackpressureLatest()
                .map(x -> (Object) x);
        loop = ticks
                .concatMap(tick -> drain()
                        .flatMap(n -> refreshBacklogGauges().thenReturn(n))
                        .doOnNext(n -> recovered())
                        .onErrorResume(e -> {
                            failures.increment();
                            reportFailure(e);
                            // Back off while Kafka or the database is away, then try again.
                            return Mono.delay(props.retryBackoff()).thenReturn(0);
                        }), 1)
                .subscribe();
        cleanup = Flux.interval(Duration.ofMinutes(1), Duration.ofHours(1))
                .concatMap(t -> cleanUp().onErrorResume(e -> Mono.just(0L)))
                .subscribe(n -> { if (n > 0) log.info("outbox: deleted {} published events older than {}", n, props.retention()); });
        log.info("outbox relay started (poll every {}, batch {})", props.pollInterval(), props.batchSize());
    }

    private void reportFailure(Throwable e) {
        long now = System.currentTimeMillis();
        if (failingSince == 0) failingSince = now;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        log.warn("outbox: could not relay events for {} s, {} waiting; will retry: {}",
                (now - failingSince) / 1000, backlog.get(), root.toString());
    }

    private void recovered() {
        if (failingSince != 0) {
            log.info("outbox: relaying again after {} s", (System.currentTimeMillis() - failingSince) / 1000);
            failingSince = 0;
        }
    }

    @Override
    public void stop() {
        if (loop != null) loop.dispose();
        if (cleanup != null) cleanup.dispose();
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }

    @Override
    public int getPhase() {
        // Stop before the Kafka producer and the connection pool go away.
        return Integer.MAX_VALUE - 100;
    }

    private record Row(Long id, UUID eventId, String topic, String key, String type, String source,
                       Instant occurredAt, String payload, String traceparent, String requestId) {}
}
