package clinic.callback.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.callback.CallbackTestBase;
import clinic.contracts.Fixtures;
import clinic.contracts.booking.BookingTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * A staff booking made with a callbackId (booking.confirmed.v2 as booking-service publishes it, and
 * v1 as a replay of an older topic holds it; each from its golden fixture) completes that callback
 * BOOKED with the reference, as the staff user who booked; a redelivery or a callback completed
 * already changes nothing.
 */
class StaffBookingLinkTest extends CallbackTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends booking.confirmed.v2 keyed {@code key} (one partition for one test's events, so they stay in order). */
    private static String send(String key, UUID callbackId, String reference, String bookedBy) throws Exception {
        return send(BookingTopics.CONFIRMED_V2, key, callbackId, reference, bookedBy);
    }

    private static String send(String type, String key, UUID callbackId, String reference, String bookedBy)
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        send(type, key, confirmedBody(type, callbackId, reference, bookedBy), eventId);
        return eventId;
    }

    private static String confirmedBody(String type, UUID callbackId, String reference, String bookedBy)
            throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(Fixtures.json(type));
        body.put("reference", reference);
        body.put("bookedBy", bookedBy);
        if (callbackId == null) body.putNull("callbackId");
        else body.put("callbackId", callbackId.toString());
        return body.toString();
    }

    private static String newReference() {
        String alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        StringBuilder r = new StringBuilder("BK-");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) r.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return r.toString();
    }

    private static void send(String type, String key, String body, String eventId) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> rec = new ProducerRecord<>(BookingTopics.TOPIC, key, body);
            rec.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            rec.headers().add(CloudEventHeaders.SOURCE, "booking-service".getBytes(StandardCharsets.UTF_8));
            producer.send(rec).get();
        }
    }

    private static String status(UUID id) {
        return (String) sql("select status from callback_request where id = ?", id).get(0).get("status");
    }

    @Test
    void aStaffBookingWithTheCallbackIdCompletesItBookedOnce() throws Exception {
        UUID id = requestCallback(newPhone());
        staffPost("desk@clinic.test", "/api/staff/callbacks/" + id + "/claim", null).expectStatus().isOk();
        String reference = newReference();
        String key = id.toString();
        String eventId = send(key, id, reference, "desk@clinic.test");

        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status(id)));
        Map<String, Object> row = sql("""
                select outcome, booking_reference, completed_by from callback_request where id = ?""", id).get(0);
        assertThat(row).containsEntry("outcome", "BOOKED").containsEntry("booking_reference", reference)
                .containsEntry("completed_by", "desk@clinic.test");
        assertThat(count("select count(*) from audit_entry where action = 'callback.completed' and target = ?"
                + " and actor = 'desk@clinic.test'", "callback/" + id)).isEqualTo(1);
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.completed.v2'",
                id.toString())).isEqualTo(1);

        // The same event again, and a second booking naming the completed callback: nothing changes.
        send(BookingTopics.CONFIRMED_V2, key, confirmedBody(BookingTopics.CONFIRMED_V2, id, reference,
                "desk@clinic.test"), eventId);
        String other = send(key, id, newReference(), "other@clinic.test");
        // Applied as a no-op; being later on the same partition, the redelivery before it is past too.
        awaitProcessed(other);
        assertThat(sql("select booking_reference from callback_request where id = ?", id).get(0))
                .containsEntry("booking_reference", reference);
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.completed.v2'",
                id.toString())).isEqualTo(1);
    }

    @Test
    void anOpenCallbackIsCompletedByTheBookingStaffUserEvenUnclaimed() throws Exception {
        UUID id = requestCallback(newPhone());
        send(id.toString(), id, newReference(), "desk2@clinic.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status(id)));
        assertThat(sql("select claimed_by, completed_by from callback_request where id = ?", id).get(0))
                .containsEntry("claimed_by", "desk2@clinic.test").containsEntry("completed_by", "desk2@clinic.test");
    }

    @Test
    void aVersionOneEventOfAReplayCompletesItToo() throws Exception {
        UUID id = requestCallback(newPhone());
        String reference = newReference();
        send(BookingTopics.CONFIRMED, id.toString(), id, reference, "desk3@clinic.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(status(id)));
        assertThat(sql("select outcome, booking_reference, completed_by from callback_request where id = ?", id).get(0))
                .containsEntry("outcome", "BOOKED").containsEntry("booking_reference", reference)
                .containsEntry("completed_by", "desk3@clinic.test");
    }

    @Test
    void aPublicBookingLeavesEveryCallbackAsItIs() throws Exception {
        UUID id = requestCallback(newPhone());
        String eventId = send(id.toString(), (UUID) null, newReference(), null);
        String linked = send(id.toString(), id, newReference(), "desk4@clinic.test");
        awaitProcessed(linked);
        // the public one was declined before any transaction: no processed_event row of its own
        assertThat(count("select count(*) from processed_event where event_id = ?", eventId)).isZero();
    }

    /** The kit's processed_event row of an event this consumer applied. */
    private static void awaitProcessed(String eventId) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("select count(*) from processed_event where event_id = ?", eventId) == 1);
    }
}
