package clinic.kit.inbox;

import clinic.kit.tracing.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.function.context.catalog.FunctionAroundWrapper;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The kit's consumers on Spring Cloud Stream's Kafka binder (docs/adr/0010): a function per
 * {@link EventHandler}, the per-event work ({@link InboxProcessor}), the container error handling
 * ({@link InboxErrorHandling}) and the start-up check of the bindings ({@link InboxBindings}).
 * Binder-wide settings that close the binder's traps live in clinic-kit-defaults-messaging.properties.
 */
@AutoConfiguration(afterName = "clinic.kit.config.MessagingAutoConfiguration",
        beforeName = "org.springframework.cloud.function.observability.ObservationAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder",
        "org.springframework.r2dbc.core.DatabaseClient"})
@EnableConfigurationProperties(InboxProperties.class)
public class InboxBindingsConfiguration {

    @Bean
    static InboxBindings.Functions inboxFunctions() {
        return new InboxBindings.Functions();
    }

    /**
     * Every function call runs straight through, without Spring Cloud Function's observation
     * (whose auto-configuration backs off when this bean exists). That observation wrapped every
     * event in a Micrometer observation, a timer and a long-task timer (measured: a sixth of the
     * binder's own per-event CPU in analytics-service), repeating what the kit records per event
     * anyway: the CONSUMER span and the clinic.inbox.* counters ({@link InboxProcessor}).
     */
    @Bean
    @ConditionalOnMissingBean
    FunctionAroundWrapper inboxFunctionsUnobserved() {
        return new FunctionAroundWrapper() {
            @Override
            protected Object doApply(Object input, SimpleFunctionRegistry.FunctionInvocationWrapper function) {
                return function.apply(input);
            }
        };
    }

    @Bean
    InboxProcessor inboxProcessor(DatabaseClient db, TransactionalOperator tx, ObjectMapper mapper,
                                  InboxProperties props, MeterRegistry meters, Tracing tracing, Environment env) {
        return new InboxProcessor(db, tx, mapper, props, meters, tracing,
                env.getProperty("spring.application.name", "clinic"));
    }

    @Bean
    InboxBindings inboxBindings(ApplicationContext context, BindingServiceProperties bindings, Environment env,
                                BindingsLifecycleController lifecycle) {
        Map<String, EventHandler> byFunction = new LinkedHashMap<>();
        context.getBeansOfType(EventHandler.class).forEach((name, h) -> byFunction.put(InboxBindings.functionName(name), h));
        return new InboxBindings(byFunction, bindings, env, lifecycle);
    }

    /** Checked once every bean exists and before the bindings start (they start with the lifecycle). */
    @Bean
    SmartInitializingSingleton inboxBindingsCheck(InboxBindings bindings, ApplicationContext context,
                                                  MeterRegistry meters) {
        return () -> {
            bindings.verify();
            // At zero from the start, so the first dead letter is an increase the DLQ alert sees
            // rather than a series that appears already at one.
            context.getBeansOfType(EventHandler.class).values().forEach(h ->
                    h.topics().forEach(t -> meters.counter("clinic.inbox.dead.lettered", "topic", t)));
        };
    }

    /**
     * Dead letters go out with the kit's producer settings (acks=all, idempotent, checked at
     * start-up by MessagingAutoConfiguration), as bytes: the bindings read keys and bodies as bytes.
     */
    @Bean
    InboxErrorHandling inboxErrorHandling(DefaultKafkaProducerFactory<String, String> producers,
                                          KafkaTemplate<String, String> strings, MeterRegistry meters,
                                          InboxBindings bindings) {
        var bytesFactory = producers.copyWithConfigurationOverride(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        @SuppressWarnings("unchecked")
        var bytes = new KafkaTemplate<>((DefaultKafkaProducerFactory<byte[], byte[]>) (Object) bytesFactory);
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, bytes);
        templates.put(String.class, strings);
        return new InboxErrorHandling(templates, meters, bindings::consumerNameOfTopic);
    }
}
