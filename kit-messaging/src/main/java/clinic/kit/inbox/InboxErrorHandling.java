package clinic.kit.inbox;

import clinic.kit.events.PoisonEvent;
import clinic.kit.web.ProblemMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.lang.Nullable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Retries and the dead-letter topic of every inbox binding, in the listener container rather than
 * in the binding ({@link #retryAndDlqInBinding} is false): the binder hands over the backOff made
 * from the binding's maxAttempts/backOff* and the destination resolver of its {@code dlqName};
 * the kit adds what the binder cannot express:
 * <ul>
 *   <li>while the database is away ({@link ProblemMapper#isDependencyUnavailable}) no event can
 *       succeed, so the container waits (backing off up to 10 s) instead of spending the bounded
 *       attempts and dead-lettering good events;</li>
 *   <li>{@link PoisonEvent} is never retried, whatever the binding says;</li>
 *   <li>the dead-letter counter and log line the DLQ alert and the operators read;</li>
 *   <li>dead letters sent with the kit's producer (acks=all, idempotent) to partition "any":
 *       the binder's resolver would pick the source record's partition, and the kit's
 *       {@code <topic>.dlq} topics have one.</li>
 * </ul>
 * In the container, a retry is a re-seek: the consumer keeps polling, so waiting out a database
 * outage never exceeds {@code max.poll.interval.ms} the way retries inside one delivery could.
 */
public class InboxErrorHandling implements ListenerContainerWithDlqAndRetryCustomizer {
    private static final Logger log = LoggerFactory.getLogger(InboxErrorHandling.class);
    private static final long WAIT_FOR_DATABASE_MAX_MS = 10_000;

    private final Map<Class<?>, KafkaOperations<?, ?>> dlqTemplates;
    private final MeterRegistry meters;
    private final Function<String, String> consumerNameOfTopic;

    /**
     * @param dlqTemplates        the kit's producers by record value type (the bindings read bytes)
     * @param consumerNameOfTopic the handler's consumer name for a binding's destination, or null
     */
    public InboxErrorHandling(Map<Class<?>, KafkaOperations<?, ?>> dlqTemplates, MeterRegistry meters,
                              Function<String, String> consumerNameOfTopic) {
        this.dlqTemplates = dlqTemplates;
        this.meters = meters;
        this.consumerNameOfTopic = consumerNameOfTopic;
    }

    @Override
    public boolean retryAndDlqInBinding(String destinationName, String group) {
        return false;
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
                          @Nullable BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
                          @Nullable BackOff backOff) {
        configure(container, destinationName, group, dlqDestinationResolver, backOff, null);
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
                          @Nullable BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
                          @Nullable BackOff backOff,
                          @Nullable ExtendedConsumerProperties<KafkaConsumerProperties> binding) {
        String consumerName = consumerNameOfTopic.apply(destinationName);
        if (consumerName != null) {
            // As the hand-built containers named their clients: one client per handler in quotas and logs.
            container.getContainerProperties().setClientId(group + "-" + consumerName);
        }
        // InboxBindings refuses to start a binding without enableDlq; this is the last line of defence.
        BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> resolver = dlqDestinationResolver != null
                ? dlqDestinationResolver
                : (record, ex) -> new TopicPartition(record.topic() + ".dlq", -1);
        var recoverer = new DeadLetterPublishingRecoverer(dlqTemplates,
                (record, ex) -> new TopicPartition(resolver.apply(record, ex).topic(), -1));
        var errors = new DefaultErrorHandler((record, ex) -> {
            String dlq = resolver.apply(record, ex).topic();
            meters.counter("clinic.inbox.dead.lettered", "topic", record.topic()).increment();
            log.error("inbox: event at {}-{}@{} dead-lettered to {}: {}", record.topic(),
                    record.partition(), record.offset(), dlq, rootMessage(ex));
            recoverer.accept(record, cause(ex));
        }, backOff != null ? backOff : new FixedBackOff(0L, 0L));
        if (binding != null) {
            binding.getRetryableExceptions().forEach((type, retryable) -> {
                if (!retryable && Exception.class.isAssignableFrom(type)) {
                    errors.addNotRetryableExceptions(type.asSubclass(Exception.class));
                }
            });
        }
        errors.addNotRetryableExceptions(PoisonEvent.class);
        long initial = binding != null ? binding.getBackOffInitialInterval() : 500L;
        var untilBack = new ExponentialBackOff(Math.max(1L, initial), 2.0);
        untilBack.setMaxInterval(WAIT_FOR_DATABASE_MAX_MS);
        errors.setBackOffFunction((record, ex) -> ProblemMapper.isDependencyUnavailable(ex) ? untilBack : null);
        container.setCommonErrorHandler(errors);
    }

    /**
     * The handler's own exception, without the layers the binding wraps around it (listener,
     * message handler): its message is the reason the dead letter carries.
     */
    static Exception cause(Exception e) {
        Throwable t = e;
        while ((t instanceof org.springframework.kafka.listener.ListenerExecutionFailedException
                || t instanceof org.springframework.messaging.MessagingException)
                && t.getCause() instanceof Exception inner && inner != t) {
            t = inner;
        }
        return (Exception) t;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
