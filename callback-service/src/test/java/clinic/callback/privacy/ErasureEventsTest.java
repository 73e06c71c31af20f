package clinic.callback.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.callback.CallbackTestBase;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.FakeErasureOwner;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

/**
 * Erasure on request, callback-service's part: {@code privacy.erasure_requested.v1} (id only) makes it
 * fetch the address from booking-service, erase that person's requests and attempt notes (nobody
 * else's), keep ids, status, outcome and consents, and publish one completion however often the event
 * is delivered.
 */
class ErasureEventsTest extends CallbackTestBase {

    private UUID request(String email, String phone) {
        Map<String, Object> body = validRequest(phone);
        body.put("email", email);
        Map<?, ?> res = web.post().uri("/api/callbacks").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        return UUID.fromString((String) res.get("id"));
    }

    static void publish(String type, String eventId, String key, String json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            var rec = new ProducerRecord<>(PrivacyTopics.TOPIC, key, json);
            rec.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.SOURCE, "booking-service".getBytes(StandardCharsets.UTF_8));
            producer.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The completions keyed {@code erasureId} on privacy.events, read from the start for a few seconds. */
    static List<String> completions(String erasureId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "erasure-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(PrivacyTopics.TOPIC));
            long deadline = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    var type = r.headers().lastHeader(CloudEventHeaders.TYPE);
                    if (erasureId.equals(r.key()) && type != null && PrivacyTopics.ERASURE_COMPLETED.equals(
                            new String(type.value(), StandardCharsets.UTF_8))) {
                        found.add(r.value());
                    }
                }
            }
        }
        return found;
    }

    @Autowired MeterRegistry meters;

    private double duplicatesSkipped() {
        var counter = meters.find("clinic.inbox.duplicates.skipped").tag("type", PrivacyTopics.ERASURE_REQUESTED).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void thePersonsRequestsLoseTheirPersonalDataOnceAndOneCompletionIsPublished() {
        String email = "erase-me-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID open = request(email, newPhone());
        UUID worked = request(email.toUpperCase(), newPhone());
        UUID other = request("keep-me@example.com", newPhone());
        String base = "/api/staff/callbacks/" + worked;
        staffPost("ann@clinic.test", base + "/claim", null).expectStatus().isOk();
        staffPost("ann@clinic.test", base + "/attempts", Map.of("outcome", "NO_ANSWER", "note", "Rang twice"))
                .expectStatus().isOk();
        staffPost("ann@clinic.test", base + "/complete", Map.of("outcome", "INFO_GIVEN", "note", "Sent prices"))
                .expectStatus().isOk();

        String erasureId = UUID.randomUUID().toString();
        FakeErasureOwner.open(erasureId, email);
        String eventId = UUID.randomUUID().toString();
        String json = "{\"erasureId\":\"" + erasureId + "\",\"requestedAt\":\"2027-01-20T12:00:00Z\"}";
        publish(PrivacyTopics.ERASURE_REQUESTED, eventId, erasureId, json);

        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from audit_entry where action = 'privacy.erased' and target = ?", "erasure/" + erasureId) == 1);
        // the same event again (a redelivery) changes nothing and publishes nothing more
        double skipped = duplicatesSkipped();
        publish(PrivacyTopics.ERASURE_REQUESTED, eventId, erasureId, json);
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicatesSkipped() > skipped);

        assertThat(count("""
                select count(*) from callback_request where id in (?, ?) and name is null and phone is null
                and email is null and message is null and completion_note is null and erased_at is not null
                and location_id = 'doncaster'""", open, worked)).isEqualTo(2);
        assertThat(sql("select status, outcome from callback_request where id = ?", worked).get(0))
                .containsEntry("status", "COMPLETED").containsEntry("outcome", "INFO_GIVEN");
        assertThat(count("select count(*) from callback_attempt where callback_id = ? and note is null "
                + "and outcome = 'NO_ANSWER'", worked)).isEqualTo(1);
        assertThat(count("select count(*) from consent where callback_id in (?, ?)", open, worked))
                .as("consents stay as proof, they hold nothing personal").isGreaterThanOrEqualTo(2);
        assertThat(count("select count(*) from callback_request where id = ? and email = 'keep-me@example.com' "
                + "and erased_at is null", other)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where action = 'privacy.erased' and target = ? "
                + "and details like '%\"callbacks\":2%' and actor like 'system:%'", "erasure/" + erasureId)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where details::text ilike ?", "%" + email + "%")).isZero();

        // staff see no contact any more; the export finds nothing
        String listed = web.get().uri("/api/staff/callbacks?limit=1000").header(HttpHeaders.AUTHORIZATION, staff("ann@clinic.test"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains(open.toString()).doesNotContainIgnoringCase(email);

        await().atMost(Duration.ofSeconds(30)).until(() -> !completions(erasureId).isEmpty());
        List<String> done = completions(erasureId);
        assertThat(done).hasSize(1);
        assertThat(done.get(0)).isEqualTo("{\"erasureId\":\"" + erasureId + "\",\"service\":\"callback-service\"}");
    }
}
