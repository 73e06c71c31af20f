package clinic.booking.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The catalogue and the availability endpoint against the seeded demo clinic. */
class CatalogAndAvailabilityTest extends BookingTestBase {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private JsonNode availability(String query) {
        return http.get().uri("/api/availability?" + query).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static List<String> localStarts(JsonNode slots, String therapistId) {
        List<String> out = new ArrayList<>();
        slots.forEach(s -> {
            if (therapistId == null || therapistId.equals(s.get("therapistId").asText())) {
                out.add(Instant.parse(s.get("startsAt").asText()).atZone(LONDON).toLocalTime().toString());
            }
        });
        return out;
    }

    @Test
    void listsTheFiveLocationsAndTheTreatments() {
        JsonNode locations = http.get().uri("/api/locations").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        // (other tests add locations of their own through the admin API)
        assertThat(locations.findValuesAsText("id"))
                .contains("sheffield", "doncaster", "rotherham", "hathersage", "chesterfield");
        locations.forEach(l -> {
            assertThat(l.get("timeZone").asText()).isEqualTo("Europe/London");
            assertThat(l.get("address").asText()).isNotBlank();
        });

        JsonNode treatments = http.get().uri("/api/treatments").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(treatments.findValuesAsText("id")).startsWith(
                "sports-massage-30", "sports-massage-45", "sports-massage-60", "physio-assessment");
        JsonNode sixty = treatments.get(2);
        assertThat(sixty.get("category").asText()).isEqualTo("sports-massage");
        assertThat(sixty.get("durationMinutes").asInt()).isEqualTo(60);
        assertThat(sixty.get("pricePence").asLong()).isEqualTo(5500);
        assertThat(sixty.get("currency").asText()).isEqualTo("GBP");
        assertThat(treatments.get(3).get("category").asText()).isEqualTo("physiotherapy");
    }

    @Test
    void therapistsOfALocationCarryTheirLocationsAndTreatments() {
        JsonNode sheffield = http.get().uri("/api/therapists?locationId=sheffield").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(sheffield.findValuesAsText("id")).containsExactly("sheffield-amy", "sheffield-ben", "sheffield-cara");
        sheffield.forEach(t -> assertThat(t.get("locationIds").toString()).isEqualTo("[\"sheffield\"]"));
        assertThat(sheffield.get(2).get("treatmentIds").toString()).contains("physio-assessment");

        http.get().uri("/api/therapists?locationId=atlantis").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("locationId");
    }

    @Test
    void aWeekdayHasSlotsInsideHoursOutsideLunchOnTheGrid() {
        // Wednesday 2027-02-10, two weeks after "now"
        JsonNode day = availability("locationId=doncaster&treatmentId=sports-massage-60&date=2027-02-10");
        assertThat(day.get("date").asText()).isEqualTo("2027-02-10");
        assertThat(day.get("locationId").asText()).isEqualTo("doncaster");
        List<String> dan = localStarts(day.get("slots"), "doncaster-dan");
        // Dan lunches 13:00-13:30: no 60-minute slot may touch it; the last start is 16:00.
        assertThat(dan).startsWith("09:00", "09:15").endsWith("16:00")
                .doesNotContain("12:15", "12:30", "12:45", "13:00", "13:15")
                .contains("12:00", "13:30");
        day.get("slots").forEach(s -> {
            LocalTime t = Instant.parse(s.get("startsAt").asText()).atZone(LONDON).toLocalTime();
            assertThat(t.getMinute() % 15).isZero();
            assertThat(Instant.parse(s.get("endsAt").asText()))
                    .isEqualTo(Instant.parse(s.get("startsAt").asText()).plusSeconds(3600));
        });
        assertThat(localStarts(day.get("slots"), "doncaster-erin")).isNotEmpty();
    }

    @Test
    void sundayIsClosedAndTheHorizonAndThePastAreEmpty() {
        assertThat(availability("locationId=doncaster&treatmentId=sports-massage-30&date=2027-02-07").get("slots"))
                .isEmpty();
        // 90 days after 2027-01-20 is 2027-04-20: the day after has nothing
        assertThat(availability("locationId=doncaster&treatmentId=sports-massage-30&date=2027-04-21").get("slots"))
                .isEmpty();
        assertThat(availability("locationId=doncaster&treatmentId=sports-massage-30&date=2027-04-20").get("slots"))
                .isNotEmpty();
        assertThat(availability("locationId=doncaster&treatmentId=sports-massage-30&date=2027-01-19").get("slots"))
                .isEmpty();
    }

    @Test
    void minimumNoticeStartsTwoHoursFromNow() {
        CLOCK.setTo(Instant.parse("2027-02-10T10:07:00Z"));
        JsonNode day = availability("locationId=rotherham&treatmentId=sports-massage-30&date=2027-02-10&therapistId=rotherham-faye");
        assertThat(localStarts(day.get("slots"), null)).startsWith("12:15", "12:30").doesNotContain("12:00");
    }

    @Test
    void bufferAfterABookingKeepsTheNextQuarterHourFree() {
        post("/api/bookings", booking("rotherham", "sports-massage-60", "rotherham-gus",
                Instant.parse("2027-02-11T10:00:00Z"))).expectStatus().isCreated();

        JsonNode day = availability("locationId=rotherham&treatmentId=sports-massage-30&date=2027-02-11&therapistId=rotherham-gus");
        // booked 10:00-11:00 + 15 min buffer; a new 30-min slot also carries its buffer
        assertThat(localStarts(day.get("slots"), null))
                .contains("09:00", "09:15", "11:15")
                .doesNotContain("09:30", "09:45", "10:00", "10:30", "11:00");
    }

    @Test
    void clockChangeSundaysOfferTheRightInstants() {
        // The demo clinic is closed on Sundays: a location open around the change, and a therapist there.
        List<Map<String, String>> sunday = List.of(Map.of("from", "00:00", "to", "04:00"),
                Map.of("from", "09:00", "to", "10:00"));
        admin(HttpMethod.POST, "/api/admin/locations", Map.of("id", "sunday-clinic", "name", "Sunday Clinic",
                "postalAddress", Map.of("line1", "3 Main Road", "town", "Hathersage", "postcode", "S32 1BB"),
                "phone", "0114 496 0123", "openingHours", Map.of("SUNDAY", sunday))).expectStatus().isCreated();
        admin(HttpMethod.POST, "/api/admin/therapists", Map.of("id", "hathersage-sunday", "name", "Sunday Cover",
                "treatmentIds", List.of("sports-massage-30"))).expectStatus().isCreated();
        admin(HttpMethod.PUT, "/api/admin/therapists/hathersage-sunday/working-hours", Map.of("days", List.of(
                Map.of("dayOfWeek", "SUNDAY", "locationId", "sunday-clinic", "from", "00:00", "to", "04:00"),
                Map.of("dayOfWeek", "SUNDAY", "locationId", "sunday-clinic", "from", "09:00", "to", "10:00"))))
                .expectStatus().isOk();
        String q = "locationId=sunday-clinic&treatmentId=sports-massage-30&therapistId=hathersage-sunday&date=";

        CLOCK.setTo(Instant.parse("2027-03-20T08:00:00Z"));
        JsonNode march = availability(q + "2027-03-28").get("slots");
        assertThat(localStarts(march, null)).containsExactly(
                "00:00", "00:15", "00:30", "00:45", "02:00", "02:15", "02:30", "02:45", "03:00", "03:15", "03:30",
                "09:00", "09:15", "09:30");
        assertThat(march.get(11).get("startsAt").asText()).isEqualTo("2027-03-28T08:00:00Z");

        CLOCK.setTo(Instant.parse("2027-10-20T08:00:00Z"));
        JsonNode october = availability(q + "2027-10-31").get("slots");
        assertThat(october).hasSize(19 + 3);
        assertThat(october.findValuesAsText("startsAt"))
                .contains("2027-10-31T00:00:00Z", "2027-10-31T01:00:00Z", "2027-10-31T09:00:00Z")
                .doesNotHaveDuplicates();
        // and a booking at the second 01:00 (GMT) works and leaves the first one (BST) free
        post("/api/bookings", booking("sunday-clinic", "sports-massage-30", "hathersage-sunday",
                Instant.parse("2027-10-31T01:00:00Z"))).expectStatus().isCreated();
        JsonNode after = availability(q + "2027-10-31").get("slots");
        assertThat(after.findValuesAsText("startsAt")).contains("2027-10-31T00:00:00Z")
                .doesNotContain("2027-10-31T01:00:00Z", "2027-10-31T00:45:00Z");
    }

    @Test
    void badQueriesAreValidationProblemsNamingTheParameter() {
        http.get().uri("/api/availability?locationId=atlantis&treatmentId=sports-massage-30&date=2027-02-10")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("locationId");
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=hot-stones&date=2027-02-10")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("treatmentId");
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=sports-massage-30&date=10/02/2027")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("date");
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=sports-massage-30")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("date");
        // ISO allows years no calendar date of the contract has (RFC 3339: four digits).
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=sports-massage-30&date=-999999999-01-01")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("date");
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=sports-massage-30&date=%2B10000-01-01")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("date");
        http.get().uri("/api/availability?locationId=sheffield&treatmentId=sports-massage-30&date=2027-02-10&therapistId=nobody")
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("therapistId");
    }
}
