package clinic.notification;

import clinic.testsupport.TestClock;
import static org.awaitility.Awaitility.await;

import clinic.contracts.Fixtures;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One Spring context for every test class of the module (same configuration, so it is cached):
 * a fresh database on the real PostgreSQL, the JVM's real Kafka broker, and a real SMTP server
 * (GreenMail) on a fixed port for the whole JVM, so the cached context keeps reaching it. The
 * service reaches GreenMail through {@link SmtpProxy}, which counts the connections mail goes over
 * and can drop them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = {NotificationServiceApplication.class, IntegrationTest.ClockConfig.class},
        properties = {
                "spring.cloud.stream.default.consumer.back-off-initial-interval=100",
                "spring.cloud.stream.default.consumer.back-off-max-interval=200",
                "spring.cloud.stream.default.consumer.max-attempts=3",
                "clinic.outbox.poll-interval=100ms",
                "clinic.notifications.dispatch.poll-interval=100ms",
                "resilience4j.retry.instances.notification-delivery.wait-duration=100ms",
                "resilience4j.retry.instances.notification-delivery.exponential-max-wait-duration=1s",
                "resilience4j.retry.instances.notification-delivery.max-attempts=8",
                "clinic.notifications.reminder-poll-interval=1h",
                "clinic.notifications.public-base-url=https://clinic.example",
                // Not the local profile: the development staff inboxes (clinic.test) are refused there.
                "clinic.notifications.staff-inbox-domain=staff.clinic.example",
                "clinic.notifications.callback-fallback-inbox=callbacks@staff.clinic.example",
                // Kept SMTP connections outlive a test's pauses (GreenMail itself drops them after 30 s),
                // so what a test sees of them does not depend on how busy the machine is.
                "clinic.notifications.dispatch.connection-idle-timeout=20s",
                "logging.structured.format.console="})
public abstract class IntegrationTest {
    static final int SMTP_PORT = freePort();

    /** What the service connects to: GreenMail behind a proxy that counts and can drop connections. */
    protected static final SmtpProxy smtpProxy = SmtpProxy.to(SMTP_PORT);

    @RegisterExtension
    protected static final GreenMailExtension smtp =
            new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                    .withPerMethodLifecycle(false);

    protected static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "notification");
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", smtpProxy::port);
        r.add("clinic.notifications.owners.booking-url", FakeOwners::url);
        r.add("clinic.notifications.owners.callback-url", FakeOwners::url);
        r.add("clinic.notifications.owners.timeout", () -> "2s");
        r.add("clinic.privacy.booking-url", FakeOwners::url);
        // notification-service's own tokens for the owners, from the stand-in issuer (client credentials)
        r.add("clinic.security.token-uri", () -> FakeOwners.url() + "/oauth2/token");
        r.add("clinic.security.client-secret", () -> FakeOwners.CLIENT_SECRET);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {
        @Bean
        @Primary
        TestClock testClock() {
            return TestClock.flowing();
        }
    }

    @Autowired protected KafkaTemplate<String, String> kafka;
    @Autowired protected DatabaseClient db;
    @Autowired protected TestClock clock;
    @Autowired protected WebTestClient http;
    @Autowired protected io.micrometer.core.instrument.MeterRegistry meters;

    /** A delivery counter ({@code clinic.notifications.sent/failed/retrying}) of one channel (email, sms). */
    protected double deliveries(String metric, String channel) {
        return meters.get(metric).tag("channel", channel).counter().count();
    }

    /** A golden fixture with some fields changed, e.g. a unique email per test. */
    protected static ObjectNode fixture(String type, Consumer<ObjectNode> change) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(Fixtures.json(type));
            change.accept(node);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes a raw record as a producer's outbox relay would: CloudEvents binary mode. */
    protected void publish(String topic, String key, String type, String eventId, ObjectNode body) {
        publish(topic, key, type, eventId, body, null);
    }

    /** As the relay of a producing service sends it, with the producer span's {@code traceparent}. */
    protected void publish(String topic, String key, String type, String eventId, ObjectNode body,
                           String traceparent) {
        ProducerRecord<String, String> rec = new ProducerRecord<>(topic, key, body.toString());
        if (traceparent != null) {
            rec.headers().add(CloudEventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        rec.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.SOURCE, "test".getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    protected static List<MimeMessage> mailsTo(String address) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                Address[] to = m.getAllRecipients();
                if (to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(address))) out.add(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    protected static List<MimeMessage> awaitMails(String address, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(address).size() >= count);
        return mailsTo(address);
    }

    protected static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first body part of the given MIME type found anywhere in the message. */
    protected static String part(MimeMessage m, String mimeType) {
        try {
            return find(m, mimeType);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Part p, String mimeType) throws Exception {
        if (p.isMimeType(mimeType)) {
            Object content = p.getContent();
            if (content instanceof String s) return s;
            try (InputStream in = (InputStream) content) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart bp = mp.getBodyPart(i);
                String found = find(bp, mimeType);
                if (found != null) return found;
            }
        }
        return null;
    }

    /** Waits until the one notification to {@code recipient} has ended FAILED, and returns its row. */
    protected Map<String, Object> awaitFailed(String recipient) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(40)).until(() -> {
            List<Map<String, Object>> rows = notificationsTo(recipient);
            return rows.size() == 1 && "FAILED".equals(rows.get(0).get("status"));
        });
        return notificationsTo(recipient).get(0);
    }

    protected List<Map<String, Object>> notificationsTo(String recipient) {
        return db.sql("select * from notification where lower(recipient) = lower(:r) order by created_at")
                .bind("r", recipient).fetch().all().collectList().block();
    }

    protected static String token(String... roles) {
        return new TestTokens(Clock.systemUTC())
                .issue("tester@clinic.test", Set.of(roles), Duration.ofMinutes(5));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
