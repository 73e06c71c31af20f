package clinic.kit.inbox;

import clinic.kit.events.CloudEventHeaders;
import clinic.kit.events.InboundEvent;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The kit's work for one delivery of one event to one {@link EventHandler}, run inside the
 * handler's binding function (see {@link InboxBindings}) on the binder's consumer thread, where
 * waiting for the transaction is safe (never an event loop).
 *
 * <p>Each delivery attempt is a CONSUMER span, child of the producer span named by the event's
 * {@code traceparent}; the handler sees (and its outbox rows store) the consumer span's context, so
 * what the event causes continues the same trace. The {@code processed_event} insert and the
 * handler run in ONE transaction: a redelivered event finds its mark and has no second effect.
 * Exceptions leave here unchanged: retries, the wait while the database is away and the
 * dead-letter topic belong to the container's error handler ({@link InboxErrorHandling}).
 */
public class InboxProcessor {
    private static final Logger log = LoggerFactory.getLogger(InboxProcessor.class);

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ObjectMapper mapper;
    private final InboxProperties props;
    private final MeterRegistry meters;
    private final Tracing tracing;
    private final String group;

    public InboxProcessor(DatabaseClient db, TransactionalOperator tx, ObjectMapper mapper, InboxProperties props,
                          MeterRegistry meters, Tracing tracing, String group) {
        this.db = db;
        this.tx = tx;
        this.mapper = mapper;
        this.props = props;
        this.meters = meters;
        this.tracing = tracing;
        this.group = group;
    }

    /**
     * Marks {@code event} processed by {@code handler}: true the first time, false when it already
     * was. Run it in the handler's transaction, so the mark and the handler's writes commit together.
     * (Also analytics-service's rebuild, which replays topics through the same marks.)
     */
    public static Mono<Boolean> markFirst(DatabaseClient db, EventHandler handler, InboundEvent event) {
        return db.sql("""
                        insert into processed_event (consumer, event_id, event_type)
                        values (:consumer, :id, :type) on conflict do nothing
                        """)
                .bind("consumer", handler.consumerName())
                .bind("id", event.id())
                .bind("type", event.type())
                .fetch().rowsUpdated()
                .map(inserted -> inserted > 0);
    }

    /**
     * @param topic the binding's destination, for binders that do not say which topic a message
     *              came from (the test binder); the Kafka binder's received-topic header wins
     */
    public void apply(EventHandler handler, Message<byte[]> message, String topic) {
        MessageHeaders headers = message.getHeaders();
        String receivedTopic = headers.get(KafkaHeaders.RECEIVED_TOPIC, String.class);
        String from = receivedTopic != null ? receivedTopic : topic;
        Object partition = headers.get(KafkaHeaders.RECEIVED_PARTITION);
        Object offsetHeader = headers.get(KafkaHeaders.OFFSET);
        long offset = offsetHeader instanceof Number n ? n.longValue() : -1L;
        // Started before the event is read, so an unreadable (poison) event still shows in its trace.
        TraceSpan span = tracing.start("process " + from, Tracing.Kind.CONSUMER,
                        CloudEventHeaders.value(headers, CloudEventHeaders.TRACEPARENT))
                .attribute("messaging.system", "kafka")
                .attribute("messaging.operation.type", "process")
                .attribute("messaging.destination.name", from)
                .attribute("messaging.consumer.group.name", group)
                .attribute("messaging.destination.partition.id", String.valueOf(partition))
                .attribute("messaging.kafka.offset", offset)
                .attribute("messaging.kafka.message.key", CloudEventHeaders.value(headers, KafkaHeaders.RECEIVED_KEY))
                .attribute("messaging.message.id", CloudEventHeaders.value(headers, CloudEventHeaders.ID))
                .attribute("cloudevents.event_type", CloudEventHeaders.value(headers, CloudEventHeaders.TYPE))
                .attribute("clinic.consumer", handler.consumerName());
        String traceparent = span.traceparent();
        MDC.put(RequestContext.TRACEPARENT, traceparent);
        MDC.put("traceId", RequestContext.traceId(traceparent));
        try {
            InboundEvent event = InboundEvent.from(message, from, offset, mapper).withTraceparent(traceparent);
            MDC.put("eventId", event.id());
            MDC.put("eventType", event.type());
            if (!handler.wants(event)) {
                meters.counter("clinic.inbox.ignored", "type", event.type()).increment();
                span.attribute("clinic.inbox.ignored", "true");
                return;
            }
            Mono<Boolean> once = markFirst(db, handler, event)
                    .flatMap(first -> {
                        if (!first) {
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
}
