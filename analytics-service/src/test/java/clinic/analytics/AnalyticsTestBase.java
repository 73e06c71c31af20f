package clinic.analytics;

import static org.awaitility.Awaitility.await;

import clinic.contracts.Fixtures;
import clinic.contracts.booking.BookingTopics;
import clinic.contracts.callback.CallbackTopics;
import clinic.contracts.notification.NotificationTopics;
import clinic.contracts.offer.OfferTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One Spring context (real PostgreSQL, real Kafka) shared by every test class. Tests publish raw
 * records with CloudEvents headers, as the producers' outbox relays do, and isolate their data by
 * using their own far-apart dates. {@link #awaitConsumed()} is the barrier between publishing and
 * asserting: it waits until the service's consumer group has committed past everything published.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class AnalyticsTestBase {
    protected static final List<String> TOPICS = List.of(BookingTopics.TOPIC, OfferTopics.TOPIC,
            CallbackTopics.TOPIC, NotificationTopics.TOPIC);
    protected static final String GROUP = "analytics-service";
    protected static final TestTokens JWT = new TestTokens(Clock.systemUTC());
    protected static String database;
    private static AdminClient admin;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        database = TestInfra.register(r, "analytics");
    }

    @Autowired protected KafkaTemplate<String, String> kafka;
    @Autowired protected WebTestClient web;
    @Autowired protected ObjectMapper mapper;

    @AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    private static synchronized AdminClient admin() {
        if (admin == null) {
            admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()));
        }
        return admin;
    }

    // ---- tokens and HTTP ----

    protected static String token(String role) {
        return JWT.issue(role.toLowerCase() + "@clinic.test", Set.of(role), Duration.ofMinutes(10));
    }

    protected JsonNode summary(LocalDate from, LocalDate to) {
        return getJson("/api/analytics/summary?from=" + from + "&to=" + to);
    }

    protected JsonNode getJson(String path) {
        byte[] body = web.get().uri(path).headers(h -> h.setBearerAuth(token("MARKETING")))
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- publishing ----

    /** A golden fixture as a mutable tree, to change the fields a test cares about. */
    protected ObjectNode fixture(String type) {
        try {
            return (ObjectNode) mapper.readTree(Fixtures.json(type));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A published event, kept so a test can send it again (a redelivery has the same ce_id). */
    protected record Sent(String topic, String key, String type, String id, Instant time, String body) {}

    protected Sent publish(String topic, String key, String type, Instant time, ObjectNode body) {
        Sent sent = new Sent(topic, key, type, UUID.randomUUID().toString(), time, body.toString());
        send(sent);
        return sent;
    }

    protected void send(Sent s) {
        ProducerRecord<String, String> rec = new ProducerRecord<>(s.topic(), s.key(), s.body());
        rec.headers().add(CloudEventHeaders.ID, s.id().getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.TYPE, s.type().getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.TIME, s.time().toString().getBytes(StandardCharsets.UTF_8));
        rec.headers().add(CloudEventHeaders.SOURCE, "analytics-test".getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(rec).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish " + s.type(), e);
        }
    }

    /**
     * Waits until the service's consumer group has committed offsets at or past the current end of
     * every partition of the four topics. The kit commits after the handler's transaction, so
     * from then on every event published so far is in the read models (or was skipped).
     */
    protected void awaitConsumed() {
        Map<TopicPartition, Long> end = endOffsets();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (e.getValue() == 0) continue;
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue()) return false;
            }
            return true;
        });
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            var described = admin().describeTopics(TOPICS).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p ->
                    specs.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            return admin().listOffsets(specs).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot read end offsets", e);
        }
    }

    // ---- event builders (fixtures with the fields that matter changed) ----

    protected record Booking(String reference, String bookingId, Instant startsAt, String locationId,
                             String treatmentId, long pricePence, long discountPence, String promoCode,
                             String offerId) {
        public long totalPence() {
            return pricePence - discountPence;
        }

        public Booking movedTo(Instant newStart) {
            return new Booking(reference, bookingId, newStart, locationId, treatmentId, pricePence, discountPence,
                    promoCode, offerId);
        }
    }

    protected static Booking booking(Instant startsAt, String locationId, String treatmentId, long pricePence) {
        String ref = "BK-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        return new Booking(ref, UUID.randomUUID().toString(), startsAt, locationId, treatmentId, pricePence, 0,
                null, null);
    }

    protected static Booking withPromo(Booking b, String code, String offerId, long discountPence) {
        return new Booking(b.reference(), b.bookingId(), b.startsAt(), b.locationId(), b.treatmentId(),
                b.pricePence(), discountPence, code, offerId);
    }

    private ObjectNode bookingBody(String type, Booking b) {
        ObjectNode n = fixture(type);
        n.put("bookingId", b.bookingId());
        n.put("reference", b.reference());
        n.put("locationId", b.locationId());
        n.put("treatmentId", b.treatmentId());
        n.put("startsAt", b.startsAt().toString());
        n.put("endsAt", b.startsAt().plus(Duration.ofHours(1)).toString());
        n.put("totalPence", b.totalPence());
        n.put("discountPence", b.discountPence());
        if (b.promoCode() == null) n.putNull("promoCode");
        else n.put("promoCode", b.promoCode());
        if (n.has("offerId")) {
            if (b.offerId() == null) n.putNull("offerId");
            else n.put("offerId", b.offerId());
        }
        if (n.has("pricePence")) n.put("pricePence", b.pricePence());
        return n;
    }

    /** Publish booking and callback events as version 2 (no personal data) instead of version 1. */
    protected boolean v2;

    private String version(String v1Type) {
        return v2 ? v1Type.replace(".v1", ".v2") : v1Type;
    }

    protected Sent confirmed(Booking b, Instant at) {
        ObjectNode n = bookingBody(version(BookingTopics.CONFIRMED), b);
        n.put("confirmedAt", at.toString());
        return publish(BookingTopics.TOPIC, b.reference(), version(BookingTopics.CONFIRMED), at, n);
    }

    protected Sent rescheduled(Booking from, Instant newStart, Instant at) {
        ObjectNode n = bookingBody(version(BookingTopics.RESCHEDULED), from.movedTo(newStart));
        n.put("previousStartsAt", from.startsAt().toString());
        n.put("rescheduledAt", at.toString());
        return publish(BookingTopics.TOPIC, from.reference(), version(BookingTopics.RESCHEDULED), at, n);
    }

    protected Sent cancelled(Booking b, Instant at) {
        ObjectNode n = bookingBody(version(BookingTopics.CANCELLED), b);
        n.put("cancelledAt", at.toString());
        return publish(BookingTopics.TOPIC, b.reference(), version(BookingTopics.CANCELLED), at, n);
    }

    protected Sent redeemed(Booking b, Instant at) {
        ObjectNode n = fixture(OfferTopics.PROMO_REDEEMED);
        n.put("offerId", b.offerId());
        n.put("code", b.promoCode());
        n.put("bookingId", b.bookingId());
        n.put("bookingReference", b.reference());
        n.put("discountPence", b.discountPence());
        n.put("redeemedAt", at.toString());
        return publish(OfferTopics.TOPIC, b.offerId(), OfferTopics.PROMO_REDEEMED, at, n);
    }

    protected Sent released(Booking b, Instant at) {
        ObjectNode n = fixture(OfferTopics.PROMO_RELEASED);
        n.put("offerId", b.offerId());
        n.put("code", b.promoCode());
        n.put("bookingId", b.bookingId());
        n.put("bookingReference", b.reference());
        n.put("discountPence", b.discountPence());
        n.put("releasedAt", at.toString());
        return publish(OfferTopics.TOPIC, b.offerId(), OfferTopics.PROMO_RELEASED, at, n);
    }

    protected Sent offerLaunched(String offerId, String code, Instant at) {
        ObjectNode n = fixture(OfferTopics.LAUNCHED);
        n.put("offerId", offerId);
        n.put("code", code);
        n.put("launchedAt", at.toString());
        return publish(OfferTopics.TOPIC, offerId, OfferTopics.LAUNCHED, at, n);
    }

    protected Sent callbackRequested(String id, Instant requestedAt, String locationId) {
        ObjectNode n = fixture(version(CallbackTopics.REQUESTED));
        n.put("callbackId", id);
        n.put("requestedAt", requestedAt.toString());
        n.put("dueAt", requestedAt.plus(Duration.ofHours(2)).toString());
        n.put("locationId", locationId);
        return publish(CallbackTopics.TOPIC, id, version(CallbackTopics.REQUESTED), requestedAt, n);
    }

    protected Sent callbackAttempted(String id, Instant requestedAt, Instant attemptedAt, int number) {
        ObjectNode n = fixture(version(CallbackTopics.ATTEMPTED));
        n.put("callbackId", id);
        n.put("attemptNumber", number);
        n.put("requestedAt", requestedAt.toString());
        n.put("attemptedAt", attemptedAt.toString());
        return publish(CallbackTopics.TOPIC, id, version(CallbackTopics.ATTEMPTED), attemptedAt, n);
    }

    protected Sent callbackCompleted(String id, Instant requestedAt, Instant completedAt) {
        ObjectNode n = fixture(version(CallbackTopics.COMPLETED));
        n.put("callbackId", id);
        n.put("requestedAt", requestedAt.toString());
        n.put("completedAt", completedAt.toString());
        return publish(CallbackTopics.TOPIC, id, version(CallbackTopics.COMPLETED), completedAt, n);
    }

    protected Sent callbackSlaBreached(String id, Instant requestedAt, Instant breachedAt) {
        ObjectNode n = fixture(CallbackTopics.SLA_BREACHED);
        n.put("callbackId", id);
        n.put("requestedAt", requestedAt.toString());
        n.put("dueAt", breachedAt.toString());
        n.put("breachedAt", breachedAt.toString());
        return publish(CallbackTopics.TOPIC, id, CallbackTopics.SLA_BREACHED, breachedAt, n);
    }

    protected Sent notification(String type, String id, Instant createdAt) {
        ObjectNode n = fixture(type);
        n.put("notificationId", id);
        n.put("createdAt", createdAt.toString());
        Instant at = createdAt.plusSeconds(5);
        if (n.has("sentAt")) n.put("sentAt", at.toString());
        if (n.has("failedAt")) n.put("failedAt", at.toString());
        return publish(NotificationTopics.TOPIC, id, type, at, n);
    }
}
