package clinic.offer.promo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.Fixtures;
import clinic.contracts.booking.BookingTopics;
import clinic.contracts.offer.OfferTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.offer.OfferServiceTestBase;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * booking-service's events through the real broker: a confirmed booking redeems its reservation,
 * a cancelled one releases it, each once however often the event arrives; the resulting events
 * reach {@code offer.events}.
 */
class BookingEventsTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    private final Instant appointment = start.plus(Duration.ofDays(3));

    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aConfirmedBookingRedeemsAndACancelledOneReleasesEachOnce() throws Exception {
        String code = uniqueCode("EVT");
        String offerId = offerWithCap(code, 10);
        String bookingId = reserved(code, "sam@example.com");

        String confirmedId = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) send(BookingTopics.CONFIRMED, confirmedId, bookingId, offerId, code);
        await().atMost(Duration.ofSeconds(60)).until(() -> "REDEEMED".equals(status(bookingId)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> events(OfferTopics.PROMO_REDEEMED, offerId) == 1);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offerId)).isEqualTo(1);
        web.get().uri("/api/marketing/offers/{id}", offerId).header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectBody().jsonPath("$.redemptions").isEqualTo(1).jsonPath("$.pendingReservations").isEqualTo(0);

        // A different delivery of the same fact (new event id) changes nothing either.
        send(BookingTopics.CONFIRMED, UUID.randomUUID().toString(), bookingId, offerId, code);
        String cancelledId = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) send(BookingTopics.CANCELLED, cancelledId, bookingId, offerId, code);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RELEASED".equals(status(bookingId)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> events(OfferTopics.PROMO_RELEASED, offerId) == 1);
        assertThat(events(OfferTopics.PROMO_REDEEMED, offerId)).isEqualTo(1);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offerId)).isZero();
        assertThat(sqlLong("select taken from offer_customer where offer_id = ?::uuid", offerId)).isZero();
        // The consumer that read them reports its lag (ClinicConsumerLagGrowing reads this), and the
        // duplicate deliveries above were counted as skipped.
        assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isNotEmpty();
        assertThat(meters.find("clinic.inbox.duplicates.skipped").counters()).isNotEmpty();
        assertThat(meters.find("clinic.inbox.dead.lettered").tag("topic", "booking.events").counter()).isNotNull();

        // What left the service, as consumers read it: the contract's fields, keyed by offer.
        var published = readOfferEvents(offerId, 3);
        assertThat(published).extracting(m -> m.get("type"))
                .contains(OfferTopics.LAUNCHED, OfferTopics.PROMO_REDEEMED, OfferTopics.PROMO_RELEASED);
        var released = published.stream().filter(m -> OfferTopics.PROMO_RELEASED.equals(m.get("type"))).findFirst().orElseThrow();
        var json = MAPPER.readTree((String) released.get("body"));
        assertThat(json.get("reason").asText()).isEqualTo("BOOKING_CANCELLED");
        assertThat(json.get("discountPence").asLong()).isEqualTo(550);
        assertThat(json.get("bookingReference").asText()).isEqualTo("BK-7QX4M2");
        List<String> fields = MAPPER.readTree(Fixtures.json(OfferTopics.PROMO_RELEASED)).properties().stream()
                .map(Map.Entry::getKey).toList();
        assertThat(json.properties().stream().map(Map.Entry::getKey).toList()).containsExactlyInAnyOrderElementsOf(fields);
    }

    @Test
    void bookingsWithoutACodeAreIgnoredAndAConfirmationAfterExpiryTakesItsPlaceBack() throws Exception {
        String code = uniqueCode("LATE");
        String offerId = offerWithCap(code, 1);
        String bookingId = reserved(code, "late@example.com");

        // No promo code: not offer-service's business, acknowledged without a transaction (no
        // processed_event row), counted as ignored.
        double ignoredBefore = ignored();
        String ignoredId = UUID.randomUUID().toString();
        send(BookingTopics.CONFIRMED, ignoredId, UUID.randomUUID().toString(), null, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> ignored() > ignoredBefore);
        assertThat(sqlLong("select count(*) from processed_event where event_id = ?", ignoredId)).isZero();

        clock.advance(Duration.ofMinutes(11));
        await().atMost(Duration.ofSeconds(60)).until(() -> "RELEASED".equals(status(bookingId)));
        clock.reset();
        send(BookingTopics.CONFIRMED, UUID.randomUUID().toString(), bookingId, offerId, code);
        await().atMost(Duration.ofSeconds(60)).until(() -> "REDEEMED".equals(status(bookingId)));
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offerId)).isEqualTo(1);
        assertThat(sqlLong("select taken from offer_customer where offer_id = ?::uuid", offerId)).isEqualTo(1);
        assertThat(events(OfferTopics.PROMO_REDEEMED, offerId)).isEqualTo(1);
    }


    /** booking-service publishes v2 (no personal data, docs/adr/0007); the ledger reads it as v1. */
    @Test
    void versionTwoEventsRedeemAndReleaseAsVersionOneDoes() throws Exception {
        String code = uniqueCode("V2");
        String offerId = offerWithCap(code, 5);
        String bookingId = reserved(code, "v2@example.com");

        send(BookingTopics.CONFIRMED_V2, UUID.randomUUID().toString(), bookingId, offerId, code);
        await().atMost(Duration.ofSeconds(60)).until(() -> "REDEEMED".equals(status(bookingId)));
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offerId)).isEqualTo(1);

        send(BookingTopics.CANCELLED_V2, UUID.randomUUID().toString(), bookingId, offerId, code);
        await().atMost(Duration.ofSeconds(60)).until(() -> "RELEASED".equals(status(bookingId)));
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offerId)).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> events(OfferTopics.PROMO_RELEASED, offerId) == 1);
        assertThat(events(OfferTopics.PROMO_REDEEMED, offerId)).isEqualTo(1);
    }

    private double ignored() {
        var c = meters.find("clinic.inbox.ignored").tag("type", BookingTopics.CONFIRMED).counter();
        return c == null ? 0 : c.count();
    }

    private String offerWithCap(String code, int cap) {
        return (String) createOffer(with(offer(code, start, start.plus(Duration.ofDays(30))), "maxRedemptions", cap)).get("id");
    }

    /** Reserves the code for a new booking; returns the booking id. */
    private String reserved(String code, String email) {
        var request = reservation(code, email, appointment);
        reserve(request).expectStatus().isOk();
        return (String) request.get("bookingId");
    }

    private String status(String bookingId) {
        return (String) sql("select status from reservation where booking_id = ?::uuid", bookingId).get(0).get("status");
    }

    /** A booking event built from the contract's golden fixture, for this booking and offer. */
    private void send(String type, String eventId, String bookingId, String offerId, String code) throws Exception {
        ObjectNode payload = (ObjectNode) MAPPER.readTree(Fixtures.json(type));
        payload.put("bookingId", bookingId);
        if (offerId == null) payload.putNull("offerId"); else payload.put("offerId", offerId);
        if (code == null) payload.putNull("promoCode"); else payload.put("promoCode", code);
        var record = new ProducerRecord<>(BookingTopics.TOPIC, payload.get("reference").asText(), MAPPER.writeValueAsString(payload));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "booking-service".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get();
    }

    /** Reads offer.events from the start until {@code atLeast} events of this offer arrived. */
    private List<Map<String, Object>> readOfferEvents(String offerId, int atLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Map<String, Object>> seen = new java.util.ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(OfferTopics.TOPIC));
            long deadline = System.currentTimeMillis() + 60_000;
            while (seen.size() < atLeast && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (!offerId.equals(r.key())) continue;
                    seen.add(Map.of("type", new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(),
                            StandardCharsets.UTF_8), "body", r.value()));
                }
            }
        }
        return seen;
    }
}
