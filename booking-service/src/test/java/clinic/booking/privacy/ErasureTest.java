package clinic.booking.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.booking.support.BookingEvents;
import clinic.booking.support.BookingTestBase;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Erasure on request, booking-service's side: the request (validation, roles, audit without the
 * address, the event without it), its own bookings anonymised once however often the event comes,
 * the manage link dead, the internal address endpoint for services only, and the status reaching DONE
 * (address cleared) when every service has reported. Dates: mid-April 2027 with sheffield-ben, which no
 * other test uses.
 */
class ErasureTest extends BookingTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode book(String email, Instant at) {
        Map<String, Object> body = booking("sheffield", "sports-massage-30", "sheffield-ben", at);
        body.put("customer", Map.of("name", "Eve Erased", "email", email, "phone", "07911 123458"));
        body.put("notes", "right shoulder");
        return post("/api/bookings", body).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec erasure(Object body, String token) {
        return http.post().uri("/api/admin/privacy/erasure")
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private JsonNode status(String id) {
        return http.get().uri("/api/admin/privacy/erasure/" + id).header("Authorization", "Bearer " + adminToken())
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static String serviceToken() {
        return TOKENS.service("callback-service", "booking-service", Duration.ofMinutes(5));
    }

    /** As another service's outbox relay would publish its completion. */
    private static void publish(String type, String eventId, String key, String json) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            var rec = new ProducerRecord<>(PrivacyTopics.TOPIC, key, json);
            rec.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.SOURCE, "test".getBytes(StandardCharsets.UTF_8));
            producer.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anErasureAnonymisesThePersonsBookingsOnceAndIsDoneWhenEveryServiceHasReported() throws Exception {
        String email = "eve.erased-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        JsonNode first = book(email, Instant.parse("2027-04-13T10:00:00Z"));
        JsonNode second = book(email.toUpperCase(), Instant.parse("2027-04-14T10:00:00Z"));
        JsonNode other = book("not.erased@example.com", Instant.parse("2027-04-15T10:00:00Z"));
        String reference = first.get("reference").asText();

        JsonNode accepted = erasure(Map.of("email", email, "reason", "asked by phone, ticket 42"), adminToken())
                .expectStatus().isAccepted().expectHeader().cacheControl(org.springframework.http.CacheControl.noStore())
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = accepted.get("id").asText();
        assertThat(accepted.get("status").asText()).isEqualTo("PENDING");

        // the event carries the id and the time, never the address
        var requested = BookingEvents.await(PrivacyTopics.TOPIC, id, PrivacyTopics.ERASURE_REQUESTED);
        assertThat(requested.value()).doesNotContain(email).contains(id);
        // the audit entry: who, the id and the reason's length, never the address nor the reason
        assertThat(sql("select count(*) from audit_entry where action = 'privacy.erasure_requested' "
                + "and actor = 'admin@clinic.test' and target = 'erasure/" + id + "' and details like '%\"reasonLength\":25%'"))
                .isEqualTo(1);
        assertThat(sql("select count(*) from audit_entry where details::text ilike '%eve.erased%' "
                + "or target ilike '%eve.erased%' or details::text like '%ticket 42%'")).isZero();

        // booking-service's own part: its completion comes through Kafka and its status turns DONE
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(
                status(id).get("services").get("booking-service").asText()));
        JsonNode pending = status(id);
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("services").get("callback-service").asText()).isEqualTo("PENDING");
        assertThat(pending.get("services").size()).isEqualTo(4);

        assertThat(sql("select count(*) from booking where reference in ('" + reference + "', '"
                + second.get("reference").asText() + "') and customer_name is null and customer_email is null "
                + "and customer_phone is null and notes is null and mail_token_hash is null and anonymised_at is not null "
                + "and location_id = 'sheffield' and treatment_id = 'sports-massage-30' and total_pence = 3500 "
                + "and therapist_id = 'sheffield-ben'")).isEqualTo(2);
        assertThat(sql("select count(*) from booking where reference = '" + other.get("reference").asText()
                + "' and customer_email = 'not.erased@example.com' and anonymised_at is null")).isEqualTo(1);
        // the manage link is dead: the customer's token no longer opens the booking
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", first.get("manageToken").asText())
                .exchange().expectStatus().isNotFound();

        // while open, the erasing services (and only they) can read the address
        http.get().uri("/internal/privacy/erasures/" + id).header("Authorization", "Bearer " + serviceToken())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.email").isEqualTo(email).jsonPath("$.status").isEqualTo("PENDING");
        http.get().uri("/internal/privacy/erasures/" + id).header("Authorization", "Bearer " + adminToken())
                .exchange().expectStatus().isForbidden();

        // the same request event again (a redelivery): nothing more happens, one completion only
        String eventId = new String(requested.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
        publish(PrivacyTopics.ERASURE_REQUESTED, eventId, id, requested.value());
        // the other services report (one of them twice)
        for (String service : new String[] {"callback-service", "notification-service", "offer-service", "offer-service"}) {
            publish(PrivacyTopics.ERASURE_COMPLETED, UUID.randomUUID().toString(), id,
                    JSON.writeValueAsString(Map.of("erasureId", id, "service", service)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(status(id).get("status").asText()));
        JsonNode done = status(id);
        assertThat(done.get("services").toString()).isEqualTo("{\"booking-service\":\"DONE\",\"callback-service\":\"DONE\","
                + "\"notification-service\":\"DONE\",\"offer-service\":\"DONE\"}");
        assertThat(sql("select count(*) from erasure_request where id = '" + id + "' and email is null "
                + "and completed_at is not null")).isEqualTo(1);
        assertThat(sql("select count(*) from audit_entry where action = 'privacy.erased' and target = 'erasure/" + id
                + "' and details like '%\"bookings\":2%'")).as("erased once, the redelivery skipped").isEqualTo(1);
        assertThat(sql("select count(*) from processed_event where event_id = '" + eventId + "'")).isEqualTo(1);
        // once DONE the address is gone from here too
        http.get().uri("/internal/privacy/erasures/" + id).header("Authorization", "Bearer " + serviceToken())
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.email").doesNotExist().jsonPath("$.status").isEqualTo("DONE");
    }

    @Test
    void badRequestsAreRefusedAndNothingIsWritten() {
        long before = sql("select count(*) from erasure_request");
        erasure(Map.of("reason", "no address"), adminToken()).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed").jsonPath("$.violations[0].field").isEqualTo("email");
        erasure(Map.of("email", "not-an-address"), adminToken()).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("email");
        erasure(Map.of("email", "a@example.com", "reason", "x".repeat(1001)), adminToken())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.violations[0].field").isEqualTo("reason");
        erasure(Map.of("email", 42), adminToken()).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed");
        erasure(Map.of("email", "a@example.com"), staffToken()).expectStatus().isForbidden();
        http.post().uri("/api/admin/privacy/erasure").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", "a@example.com")).exchange().expectStatus().isUnauthorized();
        assertThat(sql("select count(*) from erasure_request")).isEqualTo(before);

        http.get().uri("/api/admin/privacy/erasure/" + UUID.randomUUID()).header("Authorization", "Bearer " + adminToken())
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        http.get().uri("/api/admin/privacy/erasure/not-a-uuid").header("Authorization", "Bearer " + adminToken())
                .exchange().expectStatus().isNotFound();
        http.get().uri("/api/admin/privacy/erasure/" + UUID.randomUUID()).header("Authorization", "Bearer " + staffToken())
                .exchange().expectStatus().isForbidden();
        http.get().uri("/internal/privacy/erasures/" + UUID.randomUUID()).header("Authorization", "Bearer " + serviceToken())
                .exchange().expectStatus().isNotFound();
    }
}
