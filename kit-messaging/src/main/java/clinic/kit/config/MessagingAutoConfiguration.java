package clinic.kit.config;

import clinic.kit.inbox.EventHandler;
import clinic.kit.inbox.InboxProperties;
import clinic.kit.outbox.Outbox;
import clinic.kit.outbox.OutboxProperties;
import clinic.kit.outbox.OutboxRelay;
import clinic.kit.security.ServiceTokens;
import clinic.kit.tracing.Tracing;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Wires kit-messaging into a service: Kafka clients with safe settings, the outbox relay, the
 * idempotent consumers, the audit log and the erasure helpers. Only where Kafka and a database are on
 * the class path (not the gateway, which does not depend on this module). Settings with defaults live
 * in {@code clinic-kit-defaults-messaging.properties} ({@link MessagingDefaults}); the web and data
 * parts come from kit-web's and kit-data's own auto-configurations.
 */
@AutoConfiguration(after = {WebAutoConfiguration.class, DataAutoConfiguration.class}, afterName = {
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcAutoConfiguration",
        "org.springframework.boot.autoconfigure.data.r2dbc.R2dbcDataAutoConfiguration",
        "org.springframework.boot.autoconfigure.r2dbc.R2dbcTransactionManagerAutoConfiguration"},
        beforeName = "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration")
@ConditionalOnClass(name = {"org.springframework.kafka.core.KafkaTemplate",
        "org.springframework.r2dbc.core.DatabaseClient"})
@EnableConfigurationProperties({OutboxProperties.class, InboxProperties.class, KafkaProperties.class})
@org.springframework.context.annotation.Import(clinic.kit.audit.AuditConfiguration.class)
public class MessagingAutoConfiguration {
    /**
     * The address of an erasure, for services that erase personal data of their own
     * ({@code clinic.privacy.booking-url} set): they fetch it from booking-service with their own token.
     */
    @Bean
    @ConditionalOnProperty(name = "clinic.privacy.booking-url")
    clinic.kit.privacy.ErasureSubjects erasureSubjects(ObjectProvider<ServiceTokens> tokens, Environment env,
            ObjectProvider<org.springframework.web.reactive.function.client.WebClient.Builder> webClients) {
        ServiceTokens serviceTokens = tokens.getIfAvailable();
        if (serviceTokens == null) {
            throw new IllegalStateException("clinic.privacy.booking-url is set but this service has no token for it: "
                    + "set clinic.security.token-uri and CLINIC_CLIENT_SECRET");
        }
        return new clinic.kit.privacy.ErasureSubjects(
                webClients.getIfAvailable(org.springframework.web.reactive.function.client.WebClient::builder),
                serviceTokens, env.getRequiredProperty("clinic.privacy.booking-url"),
                env.getProperty("clinic.privacy.timeout", java.time.Duration.class, java.time.Duration.ofSeconds(3)));
    }

    // ---- Kafka ----

    /**
     * acks=all with idempotence, set explicitly: left to defaults some clients fall back to acks=1
     * and silently stop being idempotent. A conflicting setting fails here, at start-up.
     */
    @Bean
    DefaultKafkaProducerFactory<String, String> kafkaProducerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties(null));
        Object acks = props.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !"all".equals(acks.toString()) && !"-1".equals(acks.toString())) {
            throw new IllegalStateException("spring.kafka.producer.acks=" + acks + " conflicts with idempotent "
                    + "producing: the outbox needs acks=all");
        }
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Shorter than the relay's send timeout, so a pass never outlives its lock waiting for Kafka.
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15000);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        new ProducerConfig(props); // validates now rather than at the first send
        var factory = new DefaultKafkaProducerFactory<String, String>(props);
        factory.addListener(new org.springframework.kafka.core.MicrometerProducerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<String, String> kafkaTemplate(DefaultKafkaProducerFactory<String, String> pf) {
        return new KafkaTemplate<>(pf);
    }

    @Bean
    DefaultKafkaConsumerFactory<String, String> kafkaConsumerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties(null));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var factory = new DefaultKafkaConsumerFactory<String, String>(props);
        // Consumer lag and fetch metrics on /actuator/prometheus (records-lag-max for the lag alert).
        factory.addListener(new org.springframework.kafka.core.MicrometerConsumerListener<>(meters));
        return factory;
    }

    /**
     * The topics this service publishes (clinic.topics.publishes) and the dead-letter topics of those it reads,
     * created at start-up for the local run. Off in production (clinic.topics.create=false): there the topics are
     * declared with three replicas (KafkaTopic) and the services' Kafka users may not create any.
     */
    @Bean
    @ConditionalOnProperty(name = "clinic.topics.create", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics clinicTopics(@Value("${clinic.topics.publishes:}") List<String> publishes,
                                      @Value("${clinic.topics.partitions:3}") int partitions,
                                      @Value("${clinic.topics.replicas:1}") short replicas,
                                      ObjectProvider<EventHandler> handlers) {
        Set<NewTopic> topics = new LinkedHashSet<>();
        for (String t : publishes) {
            if (!t.isBlank()) topics.add(new NewTopic(t.trim(), partitions, replicas)
                    .configs(Map.of("retention.ms", "-1")));
        }
        handlers.orderedStream().forEach(h -> h.topics().forEach(t -> {
            topics.add(new NewTopic(t, partitions, replicas).configs(Map.of("retention.ms", "-1")));
            topics.add(new NewTopic(t + ".dlq", 1, replicas));
        }));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /**
     * In /actuator/health for alerts, kept out of the readiness group (clinic-kit-defaults.properties):
     * one admin client reused, the answer cached for clinic.kafka.health.cache-for.
     */
    @Bean("kafka")
    KafkaHealth kafkaHealth(KafkaAdmin admin, Clock clock,
                            @Value("${clinic.kafka.health.cache-for:5s}") java.time.Duration cacheFor) {
        return new KafkaHealth(admin.getConfigurationProperties(), cacheFor, clock);
    }

    // ---- outbox and inbox ----

    @Bean
    @ConditionalOnProperty(name = "clinic.outbox.enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(DatabaseClient db, TransactionalOperator tx, KafkaTemplate<String, String> kafka,
                            OutboxProperties props, MeterRegistry meters, Tracing tracing) {
        return new OutboxRelay(db, tx, kafka, props, meters, tracing);
    }

    @Bean
    @ConditionalOnProperty(name = "clinic.outbox.enabled", havingValue = "true", matchIfMissing = true)
    Outbox outbox(DatabaseClient db, ObjectMapper mapper, Environment env, OutboxRelay relay, Clock clock) {
        return new Outbox(db, mapper, env.getProperty("spring.application.name", "clinic"), relay, clock);
    }

    /** processed_event rows are kept {@code clinic.inbox.retention} (7 days; contract 1.1 retention). */
    @Bean
    clinic.kit.inbox.ProcessedEventRetention processedEventRetention(DatabaseClient db, Environment env, Clock clock) {
        return new clinic.kit.inbox.ProcessedEventRetention(db,
                env.getProperty("clinic.inbox.retention", java.time.Duration.class, java.time.Duration.ofDays(7)), clock);
    }
}
