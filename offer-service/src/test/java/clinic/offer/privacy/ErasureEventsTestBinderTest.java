package clinic.offer.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.offer.OfferServiceTestBase;
import clinic.testsupport.FakeErasureOwner;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.stream.binder.test.EnableTestBinder;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * offer-service's erasure handler (a kit ErasurePart) on its binding {@code erasureEventsInbox-in-0},
 * through Spring Cloud Stream's test binder: the handler runs on the sending thread, so the
 * completion is in the outbox as soon as send returns, and a redelivery adds nothing. The broker
 * path (retries, DLQ) stays with ErasureEventsTest.
 */
// The test binder only in this context (closed after the class); every other context binds to Kafka.
@DirtiesContext
@EnableTestBinder
@TestPropertySource(properties = "spring.cloud.stream.default-binder=integration")
class ErasureEventsTestBinderTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);

    @Autowired InputDestination input;
    @Autowired MeterRegistry meters;

    private static Message<byte[]> erasureRequested(String eventId, String erasureId) {
        String json = "{\"erasureId\":\"" + erasureId + "\",\"requestedAt\":\"2027-01-20T12:00:00Z\"}";
        return MessageBuilder.withPayload(json.getBytes(StandardCharsets.UTF_8))
                .setHeader(CloudEventHeaders.ID, eventId)
                .setHeader(CloudEventHeaders.TYPE, PrivacyTopics.ERASURE_REQUESTED)
                .setHeader(CloudEventHeaders.SOURCE, "booking-service")
                .build();
    }

    private double duplicatesSkipped() {
        var counter = meters.find("clinic.inbox.duplicates.skipped").tag("type", PrivacyTopics.ERASURE_REQUESTED).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anErasureRequestErasesTheLedgersAddressAndPublishesOneCompletion() {
        String code = uniqueCode("FAST");
        String offerId = (String) createOffer(offer(code, start, start.plus(Duration.ofDays(30)))).get("id");
        String email = "fast-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        reserve(reservation(code, email, start.plus(Duration.ofDays(3)))).expectStatus().isOk();

        String erasureId = UUID.randomUUID().toString();
        FakeErasureOwner.open(erasureId, email);
        String eventId = UUID.randomUUID().toString();
        input.send(erasureRequested(eventId, erasureId), PrivacyTopics.TOPIC);

        assertThat(sqlLong("select count(*) from offer_customer where lower(customer_email) = ?", email)).isZero();
        assertThat(sqlLong("select count(*) from offer_customer where offer_id = ?::uuid and customer_email like 'erased:%'",
                offerId)).isEqualTo(1);
        assertThat(sqlLong("select count(*) from outbox_event where event_type = ? and event_key = ?",
                PrivacyTopics.ERASURE_COMPLETED, erasureId)).isEqualTo(1);

        double skipped = duplicatesSkipped();
        input.send(erasureRequested(eventId, erasureId), PrivacyTopics.TOPIC);
        assertThat(duplicatesSkipped()).isEqualTo(skipped + 1);
        assertThat(sqlLong("select count(*) from outbox_event where event_type = ? and event_key = ?",
                PrivacyTopics.ERASURE_COMPLETED, erasureId)).isEqualTo(1);
    }
}
