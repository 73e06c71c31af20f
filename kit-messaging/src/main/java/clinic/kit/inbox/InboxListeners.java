package clinic.kit.inbox;

import clinic.kit.events.CloudEventHeaders;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Runs every {@link EventHandler} bean on its own listener container: consumer group = the
 * service's name, bounded retries with exponential backoff, then the dead-letter topic
 * {@code <topic>.dlq} carrying the failure reason in the {@code kafka_dlt-exception-*} headers.
 * Handlers run on Kafka consumer threads, never on an event loop, so waiting for the
 * transaction there is safe. Each delivery attempt is a CONSUMER span, child of the producer
 * span named by the record's {@code traceparent}; the handler sees (and its outbox rows store)
 * the consumer span's context, so what the event causes continues the same trace.
 */
public class InboxListeners implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(InboxListeners.class);

    private final List<ConcurrentMessageListenerContainer<String, String>> containers = new ArrayList<>();
    private volatile boolean running;

    public InboxListeners(List<EventHandler> handlers, ConsumerFactory<String, String> consumers,
                          KafkaTemplate<String, String> dlqTemplate, DatabaseClient db,
                          TransactionalOperator tx, ObjectMapper mapper, InboxProperties props,
                          String group, MeterRegistry meters, Tracing tracing) {
        for (EventHandler handler : handlers) {
            // At zero from the start, so the first dead letter is an increase the DLQ alert sees
            // rather than a series that appears already at one.
            handler.topics().forEach(t -> meters.counter("clinic.inbox.dead.lettered", "topic", t));
            ContainerProperties cp = new ContainerProperties(handler.topics().toArray(String[]::new));
            cp.setGroupId(group);
            cp.setClientId(group + "-" + handler.consumerName());
            cp.setMessageListener((MessageListener<String, String>) record ->
                    apply(handler, record, db, tx, mapper, props, meters, tracing, group));
            var container = new ConcurrentMessageListenerContainer<>(consumers, cp);
            container.setConcurrency(props.concurrency());
            var recoverer = new DeadLetterPublishingRecoverer(dlqTemplate,
                    (record, ex) -> new TopicPartition(record.topic() + ".dlq", -1));
            var backOff = new ExponentialBackOffWithMaxRetries(Math.max(0, props.maxAttempts() - 1));
            backOff.setInitialInterval(props.initialBackoff().toMillis());
            backOff.setMultiplier(2.0);
            backOff.setMaxInterval(props.maxBackoff().toMillis());
            var errors = new DefaultErrorHandler((record, ex) -> {
                meters.counter("clinic.inbox.dead.lettered", "topic", record.topic()).increment();
                log.error("inbox: event at {}-{}@{} dead-lettered to {}.dlq: {}", record.topic(),
                        record.partition(), record.offset(), record.topic(), rootMessage(ex));
                recoverer.accept(record, ex);
            }, backOff);
            errors.addNotRetryableExceptions(PoisonEvent.class);
            // While the database is away no event can succeed: wait for it (backing off up to 10 s)
            // instead of spending the bounded attempts and dead-lettering good events.
            var untilBack = new org.springframework.util.backoff.ExponentialBackOff(props.initialBackoff().toMillis(), 2.0);
            untilBack.setMaxInterval(10_000);
            errors.setBackOffFunction((record, ex) ->
                    clinic.kit.web.ProblemMapper.isDependencyUnavailable(ex) ? untilBack : null);
            container.setCommonErrorHandler(errors);
            container.setBeanName("inbox-" + handler.consumerName());
            containers.add(container);
        }
    }

    private static void apply(EventHandler handler, ConsumerRecord<String, String> record, DatabaseClient db,
                              TransactionalOperator tx, ObjectMapper mapper, InboxProperties props,
                              MeterRegistry meters, Tracing tracing, String group) {
        // Started before the event is read, so an unreadable (poison) event still shows in its trace.
        TraceSpan span = tracing.start("process " + record.topic(), Tracing.Kind.CONSUMER,
                        CloudEventHeaders.value(record, CloudEventHeaders.TRACEPARENT))
                .attribute("messaging.system", "kafka")
                .attribute("messaging.operation.type", "process")
                .attribute("messaging.destination.name", record.topic())
                .attribute("messaging.consumer.group.name", group)
                .attribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .attribute("messaging.kafka.offset", record.offset())
                .attribute("messaging.kafka.message.key", record.key())
                .attribute("messaging.message.id", CloudEventHeaders.value(record, CloudEventHeaders.ID))
                .attribute("cloudevents.event_type", CloudEventHeaders.value(record, CloudEventHeaders.TYPE))
                .attribute("clinic.consumer", handler.consumerName());
        String traceparent = span.traceparent();
        MDC.put(RequestContext.TRACEPARENT, traceparent);
        MDC.put("traceId", RequestContext.traceId(traceparent));
        try {
            InboundEvent event = InboundEvent.from(record, mapper).withTraceparent(traceparent);
            MDC.put("eventId", event.id());
            MDC.put("eventType", event.type());
            if (!handler.wants(event)) {
                meters.counter("clinic.inbox.ignored", "type", event.type()).increment();
                span.attribute("clinic.inbox.ignored", "true");
                return;
            }
            Mono<Boolean> once = db.sql("""
                            insert into processed_event (consumer, event_id, event_type)
                            values (:consumer, :id, :type) on conflict do nothing
                            """)
                    .bind("consumer", handler.consumerName())
                    .bind("id", event.id())
                    .bind("type", event.type())
                    .fetch().rowsUpdated()
                    .flatMap(inserted -> {
                        if (inserted == 0) {
                            meters.counter("clinic.inbox.duplicates.skipped", "type", event.type()).increment();
                            log.debug("inbox: {} {} already processed, skipped", event.type(), event.id());
                            span.attribute("clinic.inbox.duplicate", "true");
                            return Mono.just(false);
                        }
                        return handler.handle(event).thenReturn(true);
                    });
            tx.transactional(once)
                    .contextWrite(RequestContext.of(event.requestId(), traceparent).asReactorContext())
                    .block(props.handlerTimeout());
            meters.counter("clinic.inbox.processed", "type", event.type()).increment();
        } catch (RuntimeException | Error e) {
            // This attempt failed; a retry is a new CONSUMER span under the same producer span.
            span.error(e);
            throw e;
        } finally {
            span.end();
            MDC.remove("eventId");
            MDC.remove("eventType");
            MDC.remove(RequestContext.TRACEPARENT);
            MDC.remove("traceId");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void start() {
        containers.forEach(ConcurrentMessageListenerContainer::start);
        running = true;
    }

    @Override
    public void stop() {
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether every container has partitions or is at least running (for readiness). */
    public boolean allRunning() {
        return containers.stream().allMatch(ConcurrentMessageListenerContainer::isRunning);
    }
}
