package clinic.booking.desk;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** GET /api/staff/diary and GET /api/staff/customers against a clinic set up through the admin API. */
class DiaryAndCustomersTest extends BookingTestBase {

    private JsonNode get(String path) {
        return http.get().uri(path).header("Authorization", "Bearer " + staffToken()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode customers(String query) {
        return http.get().uri(b -> b.path("/api/staff/customers").queryParam("query", "{q}").build(query))
                .header("Authorization", "Bearer " + staffToken()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void problem(String path, String field) {
        http.get().uri(path).header("Authorization", "Bearer " + staffToken()).exchange()
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo(field);
    }

    private static JsonNode day(JsonNode therapist, String date) {
        for (JsonNode d : therapist.get("days")) if (d.get("date").asText().equals(date)) return d;
        throw new AssertionError("no day " + date);
    }

    @Test
    void theWeekShowsHoursBreaksTimeOffClosuresAndBookingsThatNeedAttention() {
        createLocation("desk-loc");
        createTherapist("desk-gus", "desk-loc", "sports-massage-30");
        String fits = post("/api/bookings", booking("desk-loc", "sports-massage-30", "desk-gus",
                Instant.parse("2027-02-02T10:00:00Z"))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reference").asText();
        String stranded = post("/api/bookings", booking("desk-loc", "sports-massage-30", "desk-gus",
                Instant.parse("2027-02-04T14:00:00Z"))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("reference").asText();
        admin(HttpMethod.POST, "/api/admin/therapists/desk-gus/time-off",
                Map.of("from", "2027-02-03T10:00:00Z", "to", "2027-02-03T12:00:00Z", "reason", "Dentist"))
                .expectStatus().isCreated();
        admin(HttpMethod.POST, "/api/admin/therapists/desk-gus/time-off",
                Map.of("from", "2027-02-04T13:30:00Z", "to", "2027-02-04T15:00:00Z")).expectStatus().isCreated();
        admin(HttpMethod.POST, "/api/admin/closures", Map.of("date", "2027-02-05", "locationId", "desk-loc",
                "reason", "Refurbishment")).expectStatus().isCreated();

        JsonNode diary = get("/api/staff/diary?locationId=desk-loc&from=2027-02-01&to=2027-02-07");
        assertThat(diary.get("therapists")).hasSize(1);
        JsonNode gus = diary.get("therapists").get(0);
        assertThat(gus.get("id").asText()).isEqualTo("desk-gus");
        assertThat(gus.get("name").asText()).isEqualTo("Therapist desk-gus");
        assertThat(gus.get("days")).hasSize(7);

        JsonNode monday = day(gus, "2027-02-01");
        assertThat(monday.get("workingHours").toString()).isEqualTo("[{\"from\":\"09:00\",\"to\":\"17:00\"}]");
        assertThat(monday.get("breaks").toString()).isEqualTo("[{\"from\":\"13:00\",\"to\":\"13:30\"}]");
        assertThat(monday.get("timeOff")).isEmpty();
        assertThat(monday.get("bookings")).isEmpty();

        JsonNode tuesday = day(gus, "2027-02-02");
        assertThat(tuesday.get("bookings")).hasSize(1);
        JsonNode b = tuesday.get("bookings").get(0);
        assertThat(b.get("reference").asText()).isEqualTo(fits);
        assertThat(b.get("startsAt").asText()).isEqualTo("2027-02-02T10:00:00Z");
        assertThat(b.get("endsAt").asText()).isEqualTo("2027-02-02T10:30:00Z");
        assertThat(b.get("treatmentId").asText()).isEqualTo("sports-massage-30");
        assertThat(b.get("customerName").asText()).isEqualTo("Sam Taylor");
        assertThat(b.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(b.get("needsAttention").asBoolean()).isFalse();

        JsonNode wednesday = day(gus, "2027-02-03");
        assertThat(wednesday.get("timeOff")).hasSize(1);
        assertThat(wednesday.get("timeOff").get(0).get("from").asText()).isEqualTo("2027-02-03T10:00:00Z");
        assertThat(wednesday.get("timeOff").get(0).get("to").asText()).isEqualTo("2027-02-03T12:00:00Z");

        JsonNode thursday = day(gus, "2027-02-04");
        assertThat(thursday.get("bookings").get(0).get("reference").asText()).isEqualTo(stranded);
        assertThat(thursday.get("bookings").get(0).get("needsAttention").asBoolean()).isTrue();

        // The closure: listed once, and no working hours that day; Sunday has no opening hours.
        assertThat(day(gus, "2027-02-05").get("workingHours")).isEmpty();
        assertThat(day(gus, "2027-02-07").get("workingHours")).isEmpty();
        List<String> closures = new ArrayList<>();
        diary.get("closures").forEach(c -> closures.add(c.get("date").asText() + " " + c.get("locationId").asText()
                + " " + c.get("reason").asText()));
        assertThat(closures).containsExactly("2027-02-05 desk-loc Refurbishment");

        // The same rule as the staff day list: both flag the stranded booking.
        JsonNode list = get("/api/staff/bookings?locationId=desk-loc&date=2027-02-04");
        assertThat(list.get(0).get("needsAttention").asBoolean()).isTrue();
    }

    @Test
    void badRangesAndUnknownLocationsAreProblems() {
        problem("/api/staff/diary?locationId=sheffield&from=2027-02-07&to=2027-02-01", "to");
        problem("/api/staff/diary?locationId=sheffield&from=2027-02-01&to=2027-02-15", "to");
        problem("/api/staff/diary?locationId=atlantis&from=2027-02-01&to=2027-02-07", "locationId");
        http.get().uri("/api/staff/diary?locationId=sheffield&from=2027-02-01&to=2027-02-14")
                .header("Authorization", "Bearer " + staffToken()).exchange().expectStatus().isOk();
        http.get().uri("/api/staff/diary?locationId=sheffield&from=2027-02-01&to=2027-02-07").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void customersAreFoundByEmailPhoneNameAndReferenceWithTheirBookingsNewestFirst() {
        createTherapist("desk-hal", "sheffield", "sports-massage-30");
        List<String> references = new ArrayList<>();
        for (String at : List.of("2027-02-08T10:00:00Z", "2027-02-10T10:00:00Z")) {
            Map<String, Object> body = booking("sheffield", "sports-massage-30", "desk-hal", Instant.parse(at));
            body.put("customer", Map.of("name", "Quentin Blakesearch", "email", "Quentin.Search@Example.com",
                    "phone", "07911 222333"));
            references.add(post("/api/bookings", body).expectStatus().isCreated().expectBody(JsonNode.class)
                    .returnResult().getResponseBody().get("reference").asText());
        }
        for (String query : List.of("quentin.search@EXAMPLE.com", "+44 7911 222333", "07911222333", "blakesearch",
                references.get(0).toLowerCase())) {
            JsonNode found = customers(query);
            assertThat(found).as(query).hasSize(1);
            JsonNode c = found.get(0);
            assertThat(c.get("name").asText()).isEqualTo("Quentin Blakesearch");
            assertThat(c.get("email").asText()).isEqualTo("Quentin.Search@Example.com");
            assertThat(c.get("phone").asText()).isEqualTo("+447911222333");
            assertThat(c.get("bookings")).hasSize(2);
            assertThat(c.get("bookings").get(0).get("reference").asText()).isEqualTo(references.get(1));
            assertThat(c.get("bookings").get(1).get("reference").asText()).isEqualTo(references.get(0));
            assertThat(c.get("bookings").get(0).get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(c.get("bookings").get(0).get("startsAt").asText()).isEqualTo("2027-02-10T10:00:00Z");
        }
        assertThat(customers("%%%")).isEmpty();
        assertThat(customers("nobody-by-this-name")).isEmpty();
        problem("/api/staff/customers?query=ab", "query");
        problem("/api/staff/customers", "query");
    }
}
