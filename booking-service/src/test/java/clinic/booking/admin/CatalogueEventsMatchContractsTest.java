package clinic.booking.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import clinic.booking.support.BookingEvents;
import clinic.booking.support.BookingTestBase;
import clinic.contracts.Fixtures;
import clinic.contracts.catalogue.CatalogueTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What booking-service puts on catalogue.events for admin writes has the fields of the golden
 * fixtures in event-contracts (a field the fixture shows as null may be absent: the service writes
 * no nulls, and a consumer reads a missing field as null).
 */
class CatalogueEventsMatchContractsTest extends BookingTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void fieldPaths(JsonNode node, String prefix, Set<String> all, Set<String> nullable) {
        node.fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            if (e.getValue().isNull()) nullable.add(path);
            else all.add(path);
            if (e.getValue().isObject() && !e.getKey().equals("openingHours")) {
                fieldPaths(e.getValue(), path + ".", all, nullable);
            }
        });
    }

    private static JsonNode assertMatches(String published, String type) throws Exception {
        Set<String> actual = new TreeSet<>();
        Set<String> actualNull = new TreeSet<>();
        JsonNode tree = JSON.readTree(published);
        fieldPaths(tree, "", actual, actualNull);
        Set<String> golden = new TreeSet<>();
        Set<String> goldenNull = new TreeSet<>();
        fieldPaths(JSON.readTree(Fixtures.json(type)), "", golden, goldenNull);
        Set<String> required = new TreeSet<>(golden);
        assertThat(actual).as(type).containsAll(required);
        Set<String> allowed = new TreeSet<>(golden);
        allowed.addAll(goldenNull);
        assertThat(allowed).as(type).containsAll(actual);
        return tree;
    }

    @Test
    void locationTreatmentTherapistAndClosureEventsMatchTheirFixtures() throws Exception {
        createLocation("event-town");
        admin(POST, "/api/admin/treatments", Map.of("id", "event-massage", "name", "Event massage",
                "category", "sports-massage", "durationMinutes", 45, "pricePence", 4950,
                "description", "Deep tissue work.")).expectStatus().isCreated();
        createTherapist("event-eve", "event-town", "event-massage");
        JsonNode closure = admin(POST, "/api/admin/closures", Map.of("date", "2027-02-21", "reason", "Inventory"))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();

        JsonNode location = assertMatches(BookingEvents.await(CatalogueTopics.TOPIC, "event-town",
                CatalogueTopics.LOCATION_CHANGED).value(), CatalogueTopics.LOCATION_CHANGED);
        assertThat(location.get("address").asText()).isEqualTo("1 Test Street, Sheffield S1 1AA");
        assertThat(location.get("openingHours").get("MONDAY").get(0).get("from").asText()).startsWith("09:00");
        assertThat(location.get("active").asBoolean()).isTrue();

        JsonNode treatment = assertMatches(BookingEvents.await(CatalogueTopics.TOPIC, "event-massage",
                CatalogueTopics.TREATMENT_CHANGED).value(), CatalogueTopics.TREATMENT_CHANGED);
        assertThat(treatment.get("pricePence").asLong()).isEqualTo(4950);
        assertThat(treatment.get("currency").asText()).isEqualTo("GBP");

        // the last therapist event (after the pattern) knows where they work
        admin(PUT, "/api/admin/therapists/event-eve", Map.of("name", "Eve", "treatmentIds", List.of("event-massage")))
                .expectStatus().isOk();
        var records = BookingEvents.await(CatalogueTopics.TOPIC, "event-eve", CatalogueTopics.THERAPIST_CHANGED);
        JsonNode therapist = assertMatches(records.value(), CatalogueTopics.THERAPIST_CHANGED);
        assertThat(therapist.get("treatmentIds").toString()).isEqualTo("[\"event-massage\"]");

        JsonNode closed = assertMatches(BookingEvents.await(CatalogueTopics.TOPIC, closure.get("id").asText(),
                CatalogueTopics.CLOSURE_CHANGED).value(), CatalogueTopics.CLOSURE_CHANGED);
        assertThat(closed.get("date").asText()).isEqualTo("2027-02-21");
        assertThat(closed.get("removed").asBoolean()).isFalse();

        assertThat(sql("""
                select count(*) from outbox_event where topic = 'catalogue.events' and event_key = 'event-eve'
                  and event_type = 'therapist.changed.v1'""")).isEqualTo(3);
        assertThat(sql("""
                select count(*) from outbox_event o where topic = 'catalogue.events' and event_key = 'event-eve'
                  and payload like '%"locationIds":["event-town"]%'""")).isEqualTo(2);
    }
}
