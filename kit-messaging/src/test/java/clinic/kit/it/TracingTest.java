package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.testsupport.OtlpReceiver;
import clinic.testsupport.OtlpReceiver.ReceivedSpan;
import clinic.kit.events.CloudEventHeaders;
import clinic.kit.tracing.Tracing;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One trace from an HTTP request through the outbox, Kafka and a consumer to the event that
 * consumer publishes, exported over real OTLP/HTTP to an in-process receiver, against a real
 * broker and a real PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Its own consumer group and service name, so the other kit tests' contexts never take its events.
        "spring.application.name=kit-traced",
        "kit-test.tracing=true",
        "spring.cloud.function.definition=seenHandlerInbox;traceHandlerInbox"})
class TracingTest {
    static final OtlpReceiver RECEIVER = new OtlpReceiver();
    private static final SecureRandom RANDOM = new SecureRandom();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kittrace");
        r.add("clinic.tracing.otlp-endpoint", RECEIVER::endpoint);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort int port;
    @Autowired Tracing tracing;
    @Autowired KafkaTemplate<String, String> kafka;

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Waits for the batch exporter (it sends every few seconds) to deliver a span that matches. */
    private static ReceivedSpan awaitSpan(String what, Predicate<ReceivedSpan> match) {
        return await(what).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> RECEIVER.spans().stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    @Test
    void oneTraceFromTheRequestThroughKafkaToTheEventTheConsumerPublishes() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        String thing = "traced-" + UUID.randomUUID();
        client().post().uri("/traced/{id}", thing)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .exchange().expectStatus().is2xxSuccessful();

        ReceivedSpan server = awaitSpan("server span", s -> s.traceId().equals(traceId) && s.kind().equals("SERVER"));
        assertThat(server.parentSpanId()).isEqualTo(callerSpan);
        assertThat(server.service()).isEqualTo("kit-traced");
        assertThat(server.name()).isEqualTo("POST /traced/{id}");
        assertThat(server.attr("http.request.method")).isEqualTo("POST");
        assertThat(server.attr("http.route")).isEqualTo("/traced/{id}");
        assertThat(server.attr("url.path")).isEqualTo("/traced/" + thing);
        assertThat(server.attr("http.response.status_code")).isEqualTo("200");
        assertThat(server.status()).isEqualTo("UNSET");

        // The outbox row stored the server span's context; the relay's send is its child.
        ReceivedSpan produced = awaitSpan("producer span of trace.started", s -> s.traceId().equals(traceId)
                && s.kind().equals("PRODUCER") && "trace.started.v1".equals(s.attr("cloudevents.event_type")));
        assertThat(produced.parentSpanId()).isEqualTo(server.spanId());
        assertThat(produced.attr("messaging.destination.name")).isEqualTo(KitTestApplication.TRACE_TOPIC);
        assertThat(produced.attr("messaging.kafka.message.key")).isEqualTo(thing);

        // The Kafka header named the producer span: the consumer's span is its child.
        ReceivedSpan consumed = awaitSpan("consumer span of trace.started", s -> s.traceId().equals(traceId)
                && s.kind().equals("CONSUMER") && "trace.started.v1".equals(s.attr("cloudevents.event_type")));
        assertThat(consumed.parentSpanId()).isEqualTo(produced.spanId());
        assertThat(consumed.attr("messaging.message.id")).isEqualTo(produced.attr("messaging.message.id"));
        assertThat(consumed.attr("messaging.consumer.group.name")).isEqualTo("kit-traced");
        assertThat(consumed.status()).isEqualTo("UNSET");

        // What the handler published carries the consumer span's context: the trace goes on.
        ReceivedSpan next = awaitSpan("producer span of trace.continued", s -> s.traceId().equals(traceId)
                && s.kind().equals("PRODUCER") && "trace.continued.v1".equals(s.attr("cloudevents.event_type")));
        assertThat(next.parentSpanId()).isEqualTo(consumed.spanId());
        ReceivedSpan nextConsumed = awaitSpan("consumer span of trace.continued", s -> s.traceId().equals(traceId)
                && s.kind().equals("CONSUMER") && "trace.continued.v1".equals(s.attr("cloudevents.event_type")));
        assertThat(nextConsumed.parentSpanId()).isEqualTo(next.spanId());
    }

    @Test
    void aRequestWithoutTraceparentStartsANewTrace() {
        String thing = "untraced-" + UUID.randomUUID();
        client().post().uri("/traced/{id}", thing).exchange().expectStatus().is2xxSuccessful();
        ReceivedSpan server = awaitSpan("server span", s -> s.kind().equals("SERVER")
                && ("/traced/" + thing).equals(s.attr("url.path")));
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        ReceivedSpan produced = awaitSpan("producer span", s -> s.kind().equals("PRODUCER")
                && thing.equals(s.attr("messaging.kafka.message.key")));
        assertThat(produced.traceId()).isEqualTo(server.traceId());
        assertThat(produced.parentSpanId()).isEqualTo(server.spanId());
    }

    @Test
    void aFailedRequestMarksItsSpanErrorAndAClientMistakeDoesNot() {
        String traceId = hex(16);
        client().get().uri("/traced/broken").header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .exchange().expectStatus().isEqualTo(500);
        String missingTrace = hex(16);
        client().get().uri("/traced/missing").header("traceparent", "00-" + missingTrace + "-" + hex(8) + "-01")
                .exchange().expectStatus().isNotFound();

        ReceivedSpan broken = awaitSpan("broken", s -> s.traceId().equals(traceId) && s.kind().equals("SERVER"));
        assertThat(broken.status()).isEqualTo("ERROR");
        assertThat(broken.attr("http.response.status_code")).isEqualTo("500");
        ReceivedSpan missing = awaitSpan("missing", s -> s.traceId().equals(missingTrace) && s.kind().equals("SERVER"));
        assertThat(missing.status()).isEqualTo("UNSET");
        assertThat(missing.attr("http.response.status_code")).isEqualTo("404");
    }

    @Test
    void aHandlerThatFailsMarksItsConsumerSpanError() throws Exception {
        String traceId = hex(16);
        String producerSpan = hex(8);
        var record = new org.apache.kafka.clients.producer.ProducerRecord<String, String>(
                KitTestApplication.TRACE_TOPIC, "poison", "{\"thingId\":\"p\",\"n\":1}");
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, "trace.poison.v1".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TRACEPARENT,
                ("00-" + traceId + "-" + producerSpan + "-01").getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get();

        ReceivedSpan consumed = awaitSpan("failed consumer span", s -> s.traceId().equals(traceId)
                && s.kind().equals("CONSUMER"));
        assertThat(consumed.parentSpanId()).isEqualTo(producerSpan);
        assertThat(consumed.status()).isEqualTo("ERROR");
    }

    @Test
    void probesAreNotTraced() {
        String traceId = hex(16);
        client().get().uri("/actuator/health/liveness").header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .exchange().expectStatus().isOk();
        // A request that is traced, sent after the probe: once its span has arrived, the probe's would have too.
        String after = hex(16);
        client().get().uri("/traced/missing").header("traceparent", "00-" + after + "-" + hex(8) + "-01").exchange();
        awaitSpan("span after the probe", s -> s.traceId().equals(after));
        List<ReceivedSpan> probe = RECEIVER.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
        assertThat(probe).isEmpty();
    }

    @Test
    void withAnEndpointTheKitExports() {
        assertThat(tracing.exporting()).isTrue();
    }
}
