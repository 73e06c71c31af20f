package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.notification.NotificationTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Issue 25: a confirmed subscription is a sign-up analytics can count. The click that confirms
 * publishes {@code newsletter.confirmed.v1} once, through the outbox, keyed by the subscription id
 * and carrying that id and the time only (never the address); a second click and a second sign-up
 * with the confirmed address publish nothing.
 */
class NewsletterConfirmedEventTest extends IntegrationTest {
    private static final Pattern CONFIRM_PAGE =
            Pattern.compile("https://clinic\\.example/newsletter-confirm\\.html\\?token=([A-Za-z0-9_\\-%]+)");

    @Test
    void theConfirmingClickPublishesOneSignUpWithoutTheAddress() throws Exception {
        String email = uniqueEmail("signup");
        subscribe(email);
        Matcher m = CONFIRM_PAGE.matcher(part(awaitMails(email, 1).get(0), "text/plain"));
        assertThat(m.find()).isTrue();
        String token = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        String subscriptionId = db.sql("select id from subscriber where lower(email) = lower(:e)").bind("e", email)
                .map(r -> r.get("id", UUID.class).toString()).one().block();
        Instant before = Instant.now();

        confirm(token);
        confirm(token);      // "already confirmed": nothing new happened
        subscribe(email);    // a confirmed address signing up again: nothing is sent, nothing published

        try (KafkaConsumer<String, String> consumer = reader()) {
            List<ConsumerRecord<String, String>> mine = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (subscriptionId.equals(r.key())) mine.add(r);
                });
                return !mine.isEmpty();
            });
            // Keep reading a while: a second event for the same confirmation would be a bug.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (subscriptionId.equals(r.key())) mine.add(r);
                });
                return mine.size() == 1;
            });
            ConsumerRecord<String, String> r = mine.get(0);
            assertThat(header(r, CloudEventHeaders.TYPE)).isEqualTo(NotificationTopics.NEWSLETTER_CONFIRMED);
            assertThat(header(r, CloudEventHeaders.SOURCE)).isEqualTo("notification-service");
            JsonNode body = JSON.readTree(r.value());
            assertThat(fieldNames(body)).containsExactlyInAnyOrder("subscriptionId", "confirmedAt");
            assertThat(body.get("subscriptionId").asText()).isEqualTo(subscriptionId);
            assertThat(Instant.parse(body.get("confirmedAt").asText())).isAfterOrEqualTo(before.minusSeconds(1));
            String local = email.substring(0, email.indexOf('@'));
            assertThat(r.value()).doesNotContainIgnoringCase(local).doesNotContainIgnoringCase("example.com");
            r.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .as("header %s", h.key()).doesNotContainIgnoringCase(local));
        }
        // One welcome (the confirming click), and nothing more for the second click or sign-up.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> mailsTo(email).size() == 2);
    }

    private void subscribe(String email) {
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "consent", true))
                .exchange().expectStatus().isAccepted();
    }

    private void confirm(String token) {
        http.post().uri("/api/newsletter/confirm").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", token)).exchange().expectStatus().isOk();
    }

    private static KafkaConsumer<String, String> reader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of(NotificationTopics.TOPIC));
        return c;
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
