package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.notification.NotificationTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The mail server goes away and comes back; a message that can never be delivered ends FAILED. */
class DeliveryRetryTest extends IntegrationTest {
    @org.springframework.beans.factory.annotation.Autowired clinic.notification.dispatch.Dispatcher dispatcher;

    private void publishBooking(String email) {
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED, n -> {
                    n.put("bookingId", UUID.randomUUID().toString()).put("reference", reference);
                    ((ObjectNode) n.get("customer")).put("email", email);
                }));
    }

    @Test
    void mailQueuedWhileTheSmtpServerIsDownArrivesOnceItIsBack() {
        List<String> emails = List.of(uniqueEmail("outage-a"), uniqueEmail("outage-b"), uniqueEmail("outage-c"));
        Set<String> statusesSeen = new HashSet<>();
        double sentBefore = deliveries("clinic.notifications.sent", "email");
        double retryingBefore = deliveries("clinic.notifications.retrying", "email");
        smtp.stop();
        try {
            emails.forEach(this::publishBooking);
            // Every message has failed at least twice and is waiting for its next try.
            await().atMost(Duration.ofSeconds(30)).until(() -> emails.stream().allMatch(e -> {
                List<Map<String, Object>> rows = notificationsTo(e);
                if (rows.size() != 1) return false;
                statusesSeen.add((String) rows.get(0).get("status"));
                return "RETRYING".equals(rows.get(0).get("status"))
                        && ((Number) rows.get(0).get("attempts")).intValue() >= 2;
            }));
            assertThat(notificationsTo(emails.get(0)).get(0).get("last_error").toString()).isNotBlank();
            // Each failed attempt that leaves a retry is counted, and the gauge sees them wait (counted
            // here on demand rather than waiting for the dispatcher's 10-second count).
            // Counted once the failed attempt's row commits, so a moment after the row can be read.
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    deliveries("clinic.notifications.retrying", "email") - retryingBefore >= 6);
            dispatcher.countWaiting().block(Duration.ofSeconds(10));
            assertThat(meters.get("clinic.notifications.retry.waiting").tag("channel", "email").gauge().value())
                    .isGreaterThanOrEqualTo(3);
        } finally {
            smtp.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> emails.stream()
                .allMatch(e -> "SENT".equals(notificationsTo(e).get(0).get("status"))));
        for (String e : emails) {
            assertThat(mailsTo(e)).hasSize(1);
            assertThat(((Number) notificationsTo(e).get(0).get("attempts")).intValue()).isGreaterThanOrEqualTo(3);
        }
        assertThat(statusesSeen).contains("RETRYING");
        // Counted once the SENT row commits, so a moment after the row can be read.
        await().atMost(Duration.ofSeconds(5)).until(() ->
                deliveries("clinic.notifications.sent", "email") - sentBefore >= emails.size());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> emails.stream().allMatch(e -> mailsTo(e).size() == 1));

        // Analytics hears of each delivery once, with the attempts it took.
        Map<String, JsonNode> sent = readNotificationEvents(NotificationTopics.SENT, emails.size(), emails.stream()
                .map(e -> notificationsTo(e).get(0).get("id").toString()).toList());
        for (JsonNode event : sent.values()) {
            assertThat(event.get("template").asText()).isEqualTo("booking-confirmed");
            assertThat(event.get("channel").asText()).isEqualTo("EMAIL");
            assertThat(event.get("attempts").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(event.has("recipient")).isFalse();
        }
    }

    @Test
    void aMessageThatCanNeverBeDeliveredEndsFailedAndIsReported() {
        String bad = "not an address " + UUID.randomUUID();
        double failedBefore = deliveries("clinic.notifications.failed", "email");
        publishBooking(bad);

        Map<String, Object> row = awaitFailed(bad);
        assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(8);
        String id = row.get("id").toString();
        JsonNode failed = readNotificationEvents(NotificationTopics.FAILED, 1, List.of(id)).get(id);
        assertThat(failed.get("attempts").asInt()).isEqualTo(8);
        assertThat(failed.get("reason").asText()).isNotBlank();
        assertThat(failed.get("sourceEventType").asText()).isEqualTo(BookingTopics.CONFIRMED);
        assertThat(deliveries("clinic.notifications.failed", "email") - failedBefore).isGreaterThanOrEqualTo(1);
    }

    private Map<String, JsonNode> readNotificationEvents(String type, int expected, List<String> ids) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, JsonNode> found = new HashMap<>();
        List<String> types = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(NotificationTopics.TOPIC));
            long deadline = System.currentTimeMillis() + 30_000;
            while (found.size() < expected && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    String t = new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8);
                    if (ids.contains(r.key())) {
                        types.add(t);
                        if (t.equals(type)) {
                            try {
                                found.put(r.key(), JSON.readTree(r.value()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                }
            }
            // Drain a little more: a second event for the same notification would be a bug.
            consumer.poll(Duration.ofMillis(1000)).forEach(r -> {
                if (ids.contains(r.key())) types.add("late:" + r.key());
            });
        }
        assertThat(found).hasSize(expected);
        assertThat(types).hasSize(expected);
        return found;
    }
}
