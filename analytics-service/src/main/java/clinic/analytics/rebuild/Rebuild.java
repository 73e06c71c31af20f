package clinic.analytics.rebuild;

import clinic.analytics.config.AnalyticsProperties;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.kit.inbox.InboxProcessor;
import clinic.kit.inbox.InboxBindings;
import clinic.kit.inbox.InboxProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Rebuilds every read model from the beginning of the topics it is built from.
 *
 * <p>The live listeners are stopped first, so nothing writes the fact tables meanwhile. The end
 * offsets are captured next; the fact tables and this service's processed-event marks are cleared
 * in one transaction; a standalone consumer (no group, no commits) reads every partition from the
 * beginning up to those end offsets and applies each event exactly as the kit's inbox does
 * (processed mark and handler in one transaction). The live listeners then resume from their
 * committed offsets: events they would see again were replayed already and are skipped as
 * duplicates; events published during the rebuild lie past the end offsets and are theirs.
 *
 * <p>This works only while the topics still hold every event: the local run creates them with
 * {@code retention.ms=-1} (kept forever). See README "Rebuild" for what production needs.
 */
@Service
public class Rebuild implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Rebuild.class);
    private static final List<String> FACT_TABLES =
            List.of("booking_fact", "redemption_fact", "offer_fact", "callback_fact", "notification_fact",
                    "attendance_fact", "booking_made_fact", "newsletter_fact");

    private final InboxBindings listeners;
    private final List<EventHandler> handlers;
    private final ConsumerFactory<String, String> consumers;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ObjectMapper mapper;
    private final InboxProperties inbox;
    private final AnalyticsProperties props;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "analytics-rebuild");
        t.setDaemon(true);
        return t;
    });

    public Rebuild(InboxBindings listeners, List<EventHandler> handlers, ConsumerFactory<String, String> consumers,
                   DatabaseClient db, TransactionalOperator tx, ObjectMapper mapper, InboxProperties inbox,
                   AnalyticsProperties props) {
        this.listeners = listeners;
        this.handlers = handlers;
        this.consumers = consumers;
        this.db = db;
        this.tx = tx;
        this.mapper = mapper;
        this.inbox = inbox;
        this.props = props;
    }

    /**
     * Runs on its own thread (it stops containers, polls Kafka and waits for each transaction), and
     * is not cancelled when the caller goes away: a rebuild interrupted halfway would leave the read
     * models with part of the history until the next rebuild.
     */
    public Mono<RebuildResult> run() {
        if (!running.compareAndSet(false, true)) return Mono.error(new RebuildInProgress());
        CompletableFuture<RebuildResult> done;
        try {
            done = CompletableFuture.supplyAsync(this::runBlocking, worker);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        return Mono.fromFuture(done, true)
                .onErrorMap(CompletionException.class, e -> e.getCause() == null ? e : e.getCause());
    }

    @Override
    public void destroy() {
        worker.shutdown();
    }

    private RebuildResult runBlocking() {
        long started = System.nanoTime();
        try {
            listeners.stop();
            log.info("analytics rebuild: live bindings stopped after {} ms", millisSince(started));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(replayConsumerConfig())) {
                Map<TopicPartition, Long> end = assignFromBeginning(consumer);
                clear();
                log.info("analytics rebuild: read models cleared after {} ms; replaying {} partitions up to {} events",
                        millisSince(started), end.size(), end.values().stream().mapToLong(Long::longValue).sum());
                Counts counts = replay(consumer, end);
                RebuildResult result = result(counts, millisSince(started));
                log.info("analytics rebuild: {}", result);
                return result;
            }
        } catch (RebuildFailed e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("analytics rebuild failed", e);
            throw new RebuildFailed(e.getClass().getSimpleName(), e);
        } finally {
            listeners.start();
            running.set(false);
        }
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private Map<String, Object> replayConsumerConfig() {
        Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
        // No group: the replay must neither commit offsets nor take partitions from the live group.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "analytics-rebuild");
        return config;
    }

    private Map<String, List<EventHandler>> handlersByTopic() {
        Map<String, List<EventHandler>> byTopic = new LinkedHashMap<>();
        for (EventHandler h : handlers) {
            h.topics().forEach(t -> byTopic.computeIfAbsent(t, k -> new ArrayList<>()).add(h));
        }
        return byTopic;
    }

    private Map<TopicPartition, Long> assignFromBeginning(KafkaConsumer<String, String> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : handlersByTopic().keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null) continue;
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer.endOffsets(partitions, Duration.ofSeconds(10));
    }

    private void clear() {
        List<String> names = handlers.stream().map(EventHandler::consumerName).distinct().toList();
        tx.transactional(db.sql("truncate " + String.join(", ", FACT_TABLES)).then()
                        .then(db.sql("delete from processed_event where consumer = any(:names)")
                                .bind("names", names.toArray(String[]::new)).then()))
                .block(Duration.ofSeconds(30));
    }

    private static final class Counts {
        long applied;
        long duplicates;
        long poison;
    }

    private Counts replay(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        Map<String, List<EventHandler>> byTopic = handlersByTopic();
        Counts counts = new Counts();
        long deadline = System.nanoTime() + props.rebuildTimeout().toNanos();
        while (!reachedEnd(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new RebuildFailed("not at the end offsets after " + props.rebuildTimeout(), null);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                // Past the captured end belongs to the live listeners, which resume from their offsets.
                if (record.offset() >= end.getOrDefault(tp, 0L)) continue;
                for (EventHandler h : byTopic.getOrDefault(record.topic(), List.of())) {
                    apply(h, record, counts);
                }
            }
        }
        return counts;
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }

    /** The kit's inbox step: processed mark and handler in one transaction; a seen id has no effect. */
    private void apply(EventHandler handler, ConsumerRecord<String, String> record, Counts counts) {
        try {
            InboundEvent event = InboundEvent.from(record, mapper);
            Mono<Boolean> once = InboxProcessor.markFirst(db, handler, event)
                    .flatMap(first -> first ? Mono.defer(() -> handler.handle(event)).thenReturn(true)
                            : Mono.just(false));
            Boolean applied = tx.transactional(once).block(inbox.handlerTimeout());
            if (Boolean.TRUE.equals(applied)) counts.applied++;
            else counts.duplicates++;
        } catch (PoisonEvent e) {
            // Live consumption dead-letters these; the replay leaves them out the same way.
            counts.poison++;
            log.warn("analytics rebuild: skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private RebuildResult result(Counts c, long tookMillis) {
        Map<String, Object> rows = db.sql("""
                        select (select count(*) from booking_fact) as bookings,
                               (select count(*) from redemption_fact) as redemptions,
                               (select count(*) from offer_fact) as offers,
                               (select count(*) from callback_fact) as callbacks,
                               (select count(*) from notification_fact) as notifications
                        """)
                .fetch().one().block(Duration.ofSeconds(30));
        return new RebuildResult(c.applied, c.duplicates, c.poison, n(rows, "bookings"), n(rows, "redemptions"),
                n(rows, "offers"), n(rows, "callbacks"), n(rows, "notifications"), tookMillis);
    }

    private static long n(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
