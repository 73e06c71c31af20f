package clinic.offer.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.Fixtures;
import clinic.contracts.catalogue.CatalogueTopics;
import clinic.kit.events.CloudEventHeaders;
import clinic.offer.OfferServiceTestBase;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The catalogue copy fed by booking-service's events through the real broker, read from the
 * contract's golden fixtures: what quotes price and what new offers may name follows the latest
 * state, an older state arriving late changes nothing, and what offers do not need is declined.
 */
class CatalogueEventsTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    private final Instant end = start.plus(Duration.ofDays(30));
    private final Instant appointment = start.plus(Duration.ofDays(3));

    @Autowired KafkaTemplate<String, String> kafka;
    @Autowired MeterRegistry meters;

    @Test
    void aNewTreatmentIsQuotedOnceItsEventArrivesAndAnOlderStateNeverOverwritesANewerOne() throws Exception {
        String treatment = "test-massage-" + UUID.randomUUID().toString().substring(0, 8);
        String code = uniqueCode("CAT");
        createOffer(offer(code, start, end)); // 10% off the sports-massage category

        // Not known yet: the code cannot be priced for it, and no offer may name it.
        assertThat(quote(code, treatment)).containsEntry("valid", false).containsEntry("code", "promo_code_not_applicable");
        assertViolation(with(with(offer(uniqueCode("IDS"), start, end), "treatmentCategory", null),
                "treatmentIds", List.of(treatment)), "treatmentIds[0]");

        send(CatalogueTopics.TREATMENT_CHANGED, treatment, n -> n.put("id", treatment)
                .put("category", "sports-massage").put("pricePence", 4950).put("changedAt", "2026-12-06T10:00:00Z"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(quote(code, treatment).get("valid")));
        assertThat(quote(code, treatment)).containsEntry("pricePence", 4950).containsEntry("discountPence", 495)
                .containsEntry("totalPence", 4455);
        postOffer(with(with(offer(uniqueCode("IDS"), start, end), "treatmentCategory", null),
                "treatmentIds", List.of(treatment)), "MARKETING").expectStatus().isCreated();

        // A state from before the one kept (a replay, a producer's retry) is read and ignored.
        String stale = send(CatalogueTopics.TREATMENT_CHANGED, treatment, n -> n.put("id", treatment)
                .put("category", "sports-massage").put("pricePence", 9900).put("changedAt", "2026-12-06T09:00:00Z"));
        await().atMost(Duration.ofSeconds(60)).until(() -> processed(stale));
        assertThat(quote(code, treatment)).containsEntry("pricePence", 4950);

        // A newer one replaces it: a price change, then the treatment withdrawn (still priced: the
        // booking page will not offer it, and booking-service refuses the booking).
        send(CatalogueTopics.TREATMENT_CHANGED, treatment, n -> n.put("id", treatment)
                .put("category", "sports-massage").put("pricePence", 6000).put("changedAt", "2026-12-06T11:00:00Z"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(6000).equals(
                ((Number) quote(code, treatment).get("pricePence")).longValue()));
        assertThat(quote(code, treatment)).containsEntry("discountPence", 600);
        assertThat(sql("select name, category, price_pence, active from catalogue_treatment where id = ?", treatment))
                .containsExactly(Map.of("name", "Sports massage (45 min)", "category", "sports-massage",
                        "price_pence", 6000L, "active", true));
    }

    @Test
    void aNewLocationMayBeNamedByAnOfferOnceItsEventArrivesAndTherapistsAndClosuresAreDeclined() throws Exception {
        String location = "test-clinic-" + UUID.randomUUID().toString().substring(0, 8);
        var body = with(offer(uniqueCode("LOC"), start, end), "locationIds", List.of("sheffield", location));
        assertViolation(body, "locationIds[1]");

        send(CatalogueTopics.LOCATION_CHANGED, location, n -> n.put("id", location).put("name", "Test clinic"));
        await().atMost(Duration.ofSeconds(60)).until(() -> sqlLong(
                "select count(*) from catalogue_location where id = ?", location) == 1);
        assertThat(sql("select name, active from catalogue_location where id = ?", location))
                .containsExactly(Map.of("name", "Test clinic", "active", true));
        var created = createOffer(body);
        assertThat(created).containsEntry("locationIds", List.of("sheffield", location));

        // Therapists and closures change nothing here: acknowledged without a transaction.
        double ignoredBefore = ignored(CatalogueTopics.THERAPIST_CHANGED) + ignored(CatalogueTopics.CLOSURE_CHANGED);
        String therapist = send(CatalogueTopics.THERAPIST_CHANGED, "amara-okafor", n -> {});
        String closure = send(CatalogueTopics.CLOSURE_CHANGED, "bank-holiday-2026-12-25", n -> {});
        await().atMost(Duration.ofSeconds(60)).until(() ->
                ignored(CatalogueTopics.THERAPIST_CHANGED) + ignored(CatalogueTopics.CLOSURE_CHANGED) >= ignoredBefore + 2);
        assertThat(processed(therapist)).isFalse();
        assertThat(processed(closure)).isFalse();
    }

    @Test
    void aReservationForATreatmentTheCopyDoesNotKnowYetTakesBookingServicesWord() {
        String code = uniqueCode("NEWT");
        createOffer(offer(code, start, end));
        var request = reservation(code, "new-treatment@example.com", appointment);
        request.put("treatmentId", "brand-new-" + UUID.randomUUID().toString().substring(0, 8));
        request.put("pricePence", 5000);
        reserve(request).expectStatus().isOk().expectBody()
                .jsonPath("$.pricePence").isEqualTo(5000).jsonPath("$.discountPence").isEqualTo(500);
    }

    /** The golden fixture of the type, changed for the test, sent as booking-service's relay would; returns its ce_id. */
    private String send(String type, String key, Consumer<ObjectNode> change) throws Exception {
        ObjectNode payload = (ObjectNode) MAPPER.readTree(Fixtures.json(type));
        change.accept(payload);
        String eventId = UUID.randomUUID().toString();
        var record = new ProducerRecord<>(CatalogueTopics.TOPIC, key, MAPPER.writeValueAsString(payload));
        record.headers().add(CloudEventHeaders.ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "booking-service".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get();
        return eventId;
    }

    private boolean processed(String eventId) {
        return sqlLong("select count(*) from processed_event where event_id = ?", eventId) == 1;
    }

    private double ignored(String type) {
        var c = meters.find("clinic.inbox.ignored").tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    private Map<String, Object> quote(String code, String treatmentId) {
        return web.get().uri(u -> u.path("/api/offers/quote").queryParam("code", code)
                        .queryParam("treatmentId", treatmentId).queryParam("locationId", "sheffield")
                        .queryParam("startsAt", "{at}").build(appointment.toString()))
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    private void assertViolation(Map<String, Object> body, String field) {
        var problem = postOffer(body, "MARKETING").expectStatus().isBadRequest().expectBody(JSON).returnResult()
                .getResponseBody();
        assertThat(problem).containsEntry("code", "validation_failed");
        assertThat(problem.get("violations").toString()).contains("field=" + field);
    }
}
