package clinic.booking.support;

import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what booking-service really published on Kafka. */
public final class BookingEvents {
    private BookingEvents() {}

    /** The first record of {@code type} keyed {@code reference} on booking.events, waiting up to 30 s. */
    public static ConsumerRecord<String, String> await(String reference, String type) {
        return await("booking.events", reference, type);
    }

    /** The first record of {@code type} keyed {@code key} on {@code topic}, waiting up to 30 s. */
    public static ConsumerRecord<String, String> await(String topic, String key, String type) {
        String reference = key;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "booking-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    var ceType = r.headers().lastHeader(CloudEventHeaders.TYPE);
                    if (reference.equals(r.key()) && ceType != null
                            && type.equals(new String(ceType.value(), StandardCharsets.UTF_8))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no " + type + " for " + reference + " on " + topic + " within 30 s");
    }
}
