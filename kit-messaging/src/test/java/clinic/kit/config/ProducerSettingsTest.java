package clinic.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;

/**
 * Left to its defaults a Kafka client may run with acks=1 and silently stop being idempotent;
 * the kit sets both explicitly and refuses to start with a setting that conflicts.
 */
class ProducerSettingsTest {
    private final MessagingAutoConfiguration messaging = new MessagingAutoConfiguration();

    @Test
    void producerIsIdempotentWithAcksAll() {
        var factory = messaging.kafkaProducerFactory(new KafkaProperties(), new SimpleMeterRegistry());
        assertThat(factory.getConfigurationProperties())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void aConflictingAcksSettingStopsStartUp() {
        KafkaProperties props = new KafkaProperties();
        props.getProducer().setAcks("1");
        assertThatThrownBy(() -> messaging.kafkaProducerFactory(props, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acks=1");
    }
}
