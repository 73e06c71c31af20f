package clinic.offer.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.offer.OfferServiceTestBase;
import clinic.testsupport.FakeErasureOwner;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Erasure on request, offer-service's part: the promo-code ledger's address becomes a random marker
 * (the same in the customer row and its reservations, so counts and a later release still work), other
 * customers are untouched, and a redelivered request publishes no second completion.
 */
class ErasureEventsTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    private final Instant appointment = start.plus(Duration.ofDays(3));

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

    @Autowired MeterRegistry meters;

    private double duplicatesSkipped() {
        var counter = meters.find("clinic.inbox.duplicates.skipped").tag("type", PrivacyTopics.ERASURE_REQUESTED).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theLedgersAddressBecomesAMarkerThatKeepsTheCountsAndOneCompletionIsPublished() {
        String code = uniqueCode("ERASE");
        var offer = createOffer(offer(code, start, start.plus(Duration.ofDays(30))));
        String offerId = (String) offer.get("id");
        String email = "erase-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        var mine = reservation(code, email.toUpperCase(), appointment);
        reserve(mine).expectStatus().isOk();
        reserve(reservation(code, "keep-" + email, appointment)).expectStatus().isOk();
        long redeemedBefore = sqlLong("select count(*) from reservation where offer_id = ?::uuid", offerId);

        String erasureId = UUID.randomUUID().toString();
        FakeErasureOwner.open(erasureId, email);
        String eventId = UUID.randomUUID().toString();
        String json = "{\"erasureId\":\"" + erasureId + "\",\"requestedAt\":\"2027-01-20T12:00:00Z\"}";
        publish(PrivacyTopics.ERASURE_REQUESTED, eventId, erasureId, json);
        await().atMost(Duration.ofSeconds(30)).until(() -> sqlLong(
                "select count(*) from outbox_event where event_type = ? and event_key = ?",
                PrivacyTopics.ERASURE_COMPLETED, erasureId) == 1);
        double skipped = duplicatesSkipped();
        publish(PrivacyTopics.ERASURE_REQUESTED, eventId, erasureId, json);

        var customer = sql("select customer_email, taken from offer_customer where offer_id = ?::uuid "
                + "and customer_email like 'erased:%'", offerId);
        assertThat(customer).hasSize(1);
        assertThat(customer.get(0).get("taken")).isEqualTo(1);
        String marker = (String) customer.get(0).get("customer_email");
        assertThat(sqlLong("select count(*) from reservation where booking_id = ?::uuid and customer_email = ? "
                + "and status = 'RESERVED'", mine.get("bookingId"), marker)).isEqualTo(1);
        assertThat(sqlLong("select count(*) from reservation where offer_id = ?::uuid", offerId)).isEqualTo(redeemedBefore);
        assertThat(sqlLong("select count(*) from offer_customer where lower(customer_email) = ?", email)
                + sqlLong("select count(*) from reservation where lower(customer_email) = ?", email)).isZero();
        assertThat(sqlLong("select count(*) from offer_customer where offer_id = ?::uuid and customer_email = ?",
                offerId, "keep-" + email)).isEqualTo(1);

        // a later release still finds the customer row through the marker and frees the place
        web.post().uri("/internal/reservations/{id}/release", mine.get("bookingId"))
                .header("Authorization", "Bearer " + token("SERVICE")).exchange().expectStatus().is2xxSuccessful();
        assertThat(sqlLong("select taken from offer_customer where customer_email = ?", marker)).isZero();

        assertThat(sqlLong("select count(*) from audit_entry where action = 'privacy.erased' and target = ? "
                + "and details like '%\"reservations\":1%'", "erasure/" + erasureId)).isEqualTo(1);
        assertThat(sqlLong("select count(*) from audit_entry where details::text ilike ?", "%" + email + "%")).isZero();
        // the redelivery was skipped by the inbox: still one completion, one audit entry
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicatesSkipped() > skipped);
        assertThat(sqlLong("select count(*) from outbox_event where event_type = ? and event_key = ?",
                PrivacyTopics.ERASURE_COMPLETED, erasureId)).isEqualTo(1);
        String payload = (String) sql("select payload from outbox_event where event_type = ? and event_key = ?",
                PrivacyTopics.ERASURE_COMPLETED, erasureId).get(0).get("payload");
        assertThat(payload).contains("\"service\":\"offer-service\"").doesNotContain(email);
    }
}
