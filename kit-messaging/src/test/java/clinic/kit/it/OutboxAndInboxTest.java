package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import clinic.kit.events.CloudEventHeaders;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The outbox and the idempotent inbox against a real broker and a real PostgreSQL. */
@SpringBootTest
class OutboxAndInboxTest {
    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kit");
    }

    @Autowired KitTestApplication.Things things;
    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired Tracing tracing;
    @Autowired org.springframework.context.ApplicationContext context;

    private long seen() {
        return ((Number) things.counts().block().get("seen")).longValue();
    }

    @Test
    void everyCommittedEventIsConsumedOnceAndRolledBackOnesNever() {
        long before = seen();
        for (int i = 0; i < 20; i++) things.create("t-" + UUID.randomUUID(), i).block();
        assertThatThrownBy(() -> things.createThenFail("rolled-back-" + UUID.randomUUID()).block())
                .hasMessageContaining("on purpose");
        await().atMost(Duration.ofSeconds(30)).until(() -> seen() == before + 20);
        // Nothing more arrives later: the rolled-back change never left the service.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> seen() == before + 20);
        assertThat(((Number) things.counts().block().get("unsent")).longValue()).isZero();
    }

    @Test
    void aRedeliveredEventHasNoSecondEffect() throws Exception {
        String id = UUID.randomUUID().toString();
        long before = seen();
        for (int i = 0; i < 3; i++) {
            ProducerRecord<String, String> rec = new ProducerRecord<>(KitTestApplication.TOPIC, "dup",
                    "{\"thingId\":\"dup-" + id + "\",\"n\":1}");
            rec.headers().add(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.TYPE, "thing.created.v1".getBytes(StandardCharsets.UTF_8));
            kafka.send(rec).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen() == before + 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> seen() == before + 1);
    }

    /**
     * While the database is away no event can succeed: the consumer waits for it rather than
     * spending the binding's bounded attempts (3 here) and dead-lettering a good event.
     */
    @Test
    void anEventIsNotDeadLetteredWhileTheDatabaseIsAway() {
        var meters = context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        double deadBefore = meters.counter("clinic.inbox.dead.lettered", "topic", KitTestApplication.TOPIC).count();
        String id = "db-away-" + UUID.randomUUID();
        long before = seen();
        things.create(id, 1).block();
        await().atMost(Duration.ofSeconds(60)).until(() -> seen() == before + 1);
        assertThat(KitTestApplication.DATABASE_AWAY.get("kit-test:" + id)).as("attempts").isEqualTo(6);
        assertThat(meters.counter("clinic.inbox.dead.lettered", "topic", KitTestApplication.TOPIC).count())
                .isEqualTo(deadBefore);
    }

    @Test
    void aPoisonEventGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, String> rec = new ProducerRecord<>(KitTestApplication.TOPIC, "poison",
                "{\"thingId\":\"poison-" + id + "\",\"n\":1}");
        rec.headers().add(CloudEventHeaders.ID, id.getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.TYPE, "thing.created.v1".getBytes(StandardCharsets.UTF_8));
        kafka.send(rec).get();

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + id);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(KitTestApplication.TOPIC + ".dlq"));
            String reason = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (reason == null && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    var idHeader = r.headers().lastHeader(CloudEventHeaders.ID);
                    if (idHeader != null && id.equals(new String(idHeader.value(), StandardCharsets.UTF_8))) {
                        reason = new String(r.headers().lastHeader("kafka_dlt-exception-message").value(),
                                StandardCharsets.UTF_8);
                    }
                }
            }
            assertThat(reason).contains("poison thing poison-" + id);
        }
    }

    @Test
    void eventsOfOneAggregateArriveInTheOrderTheyWereCommitted() throws Exception {
        String key = "order-" + UUID.randomUUID();
        // Interleave another aggregate's events and commit from several threads at once for the
        // noise; the key under test is written strictly in sequence, as one aggregate's changes are.
        Thread noise = new Thread(() -> {
            for (int i = 0; i < 60; i++) things.touch("noise-" + (i % 7), i).block();
        });
        noise.start();
        for (int n = 0; n < 50; n++) things.touch(key, n).block();
        noise.join();

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "order-reader-" + key);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Integer> seen = new java.util.ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(KitTestApplication.TOPIC));
            long deadline = System.currentTimeMillis() + 30_000;
            while (seen.size() < 50 && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        seen.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value()).get("n").asInt());
                    }
                }
            }
        }
        assertThat(seen).hasSize(50).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void withoutAnOtlpEndpointNothingIsExportedYetTheTraceStillCrossesKafka() throws Exception {
        assertThat(tracing).isSameAs(Tracing.noop());
        // Nor has anything else (Spring Boot's own OpenTelemetry support) made an exporter or a span pipeline.
        assertThat(context.getBeanNamesForType(io.opentelemetry.sdk.trace.export.SpanExporter.class)).isEmpty();
        assertThat(context.getBeanNamesForType(io.opentelemetry.sdk.trace.SdkTracerProvider.class)).isEmpty();
        String key = "trace-" + UUID.randomUUID();
        String traceparent = "00-" + "ab".repeat(16) + "-" + "cd".repeat(8) + "-01";
        things.touch(key, 1).contextWrite(RequestContext.of("req-1", traceparent).asReactorContext()).block();

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "trace-reader-" + key);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        String header = null;
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(KitTestApplication.TOPIC));
            long deadline = System.currentTimeMillis() + 30_000;
            while (header == null && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        header = new String(r.headers().lastHeader(CloudEventHeaders.TRACEPARENT).value(),
                                StandardCharsets.UTF_8);
                    }
                }
            }
        }
        // Same trace, the relay's own span id.
        assertThat(header).startsWith("00-" + "ab".repeat(16) + "-").isNotEqualTo(traceparent);
    }

    @Test
    void countsAreVisibleInSql() {
        Map<String, Object> counts = things.counts().block();
        assertThat(counts).containsKeys("things", "seen", "unsent");
    }
}
