package clinic.booking.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The administration rules end to end through the HTTP API against real PostgreSQL and Kafka:
 * each test builds its own location and therapists through the admin API, so the demo clinic and
 * the other tests are untouched.
 */
class AdministrationTest extends BookingTestBase {
    @Autowired BankHolidays bankHolidays;
    @Autowired clinic.booking.availability.AvailabilityService availabilityService;

    private JsonNode json(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec spec) {
        return spec.expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode availability(String locationId, String treatmentId, String date) {
        return json(http.get().uri("/api/availability?locationId=" + locationId + "&treatmentId=" + treatmentId
                + "&date=" + date).exchange().expectStatus().isOk()).get("slots");
    }

    private static List<String> startsOf(JsonNode slots, String therapistId) {
        List<String> starts = new ArrayList<>();
        for (JsonNode slot : slots) {
            if (slot.get("therapistId").asText().equals(therapistId)) starts.add(slot.get("startsAt").asText());
        }
        return starts;
    }

    private JsonNode book(String locationId, String treatmentId, String therapistId, String startsAt) {
        return json(post("/api/bookings", booking(locationId, treatmentId, therapistId, Instant.parse(startsAt)))
                .expectStatus().isCreated());
    }

    private JsonNode staffDay(String locationId, String date) {
        return json(http.get().uri("/api/staff/bookings?locationId=" + locationId + "&date=" + date)
                .header("Authorization", "Bearer " + staffToken()).exchange().expectStatus().isOk());
    }

    private static JsonNode item(JsonNode list, String reference) {
        for (JsonNode b : list) {
            if (reference.equals(b.get("reference").asText())) return b;
        }
        throw new AssertionError(reference + " not in " + list);
    }

    private static List<Object> week(String locationId, String from, String to, List<Object> breaks) {
        List<Object> days = new ArrayList<>();
        for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")) {
            days.add(Map.of("dayOfWeek", day, "locationId", locationId, "from", from, "to", to, "breaks", breaks));
        }
        return days;
    }

    private static void assertViolation(org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec spec,
                                        String field) {
        spec.expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[?(@.field == '" + field + "')]").exists();
    }

    @Test
    void aClosureRemovesTheDaysSlotsAndFlagsItsBookingsUntilWithdrawn() {
        createLocation("closure-town");
        createTherapist("closure-tess", "closure-town", "sports-massage-30");
        assertThat(availability("closure-town", "sports-massage-30", "2027-02-15")).isNotEmpty();
        String reference = book("closure-town", "sports-massage-30", "closure-tess", "2027-02-15T10:45:00Z")
                .get("reference").asText();

        JsonNode closure = json(admin(POST, "/api/admin/closures",
                Map.of("date", "2027-02-15", "locationId", "closure-town", "reason", "Flooded")).expectStatus().isCreated());
        assertThat(closure.get("affectedBookings").findValuesAsText("reference")).containsExactly(reference);
        assertThat(closure.get("affectedBookings").get(0).get("startsAt").asText()).isEqualTo("2027-02-15T10:45:00Z");

        assertThat(availability("closure-town", "sports-massage-30", "2027-02-15")).isEmpty();
        assertThat(availability("closure-town", "sports-massage-30", "2027-02-16")).isNotEmpty();
        assertThat(availability("doncaster", "sports-massage-30", "2027-02-15")).isNotEmpty();
        JsonNode listed = json(http.get().uri("/api/closures?from=2027-02-15&to=2027-02-15").exchange()
                .expectStatus().isOk());
        assertThat(listed.findValuesAsText("id")).contains(closure.get("id").asText());
        assertThat(item(staffDay("closure-town", "2027-02-15"), reference).get("needsAttention").asBoolean()).isTrue();
        // the booking stays booked: staff move or cancel it
        assertThat(item(staffDay("closure-town", "2027-02-15"), reference).get("status").asText()).isEqualTo("CONFIRMED");

        admin(DELETE, "/api/admin/closures/" + closure.get("id").asText(), null).expectStatus().isNoContent();
        assertThat(availability("closure-town", "sports-massage-30", "2027-02-15")).isNotEmpty();
        assertThat(item(staffDay("closure-town", "2027-02-15"), reference).get("needsAttention").asBoolean()).isFalse();
        admin(DELETE, "/api/admin/closures/" + closure.get("id").asText(), null).expectStatus().isNotFound();
        // a closure of every location closes this one too
        JsonNode all = json(admin(POST, "/api/admin/closures", Map.of("date", "2027-02-19", "reason", "Staff training"))
                .expectStatus().isCreated());
        assertThat(all.has("locationId")).isTrue();
        assertThat(all.get("locationId").isNull()).isTrue();
        assertThat(availability("closure-town", "sports-massage-30", "2027-02-19")).isEmpty();
        assertThat(availability("sheffield", "sports-massage-30", "2027-02-19")).isEmpty();
        admin(DELETE, "/api/admin/closures/" + all.get("id").asText(), null).expectStatus().isNoContent();
        assertThat(availability("sheffield", "sports-massage-30", "2027-02-19")).isNotEmpty();
    }

    @Test
    void timeOffOverABookingListsItAndTheStaffListFlagsItUntilTheTimeOffIsDeleted() {
        createLocation("timeoff-town");
        createTherapist("timeoff-tom", "timeoff-town", "sports-massage-30");
        JsonNode made = book("timeoff-town", "sports-massage-30", "timeoff-tom", "2027-02-16T10:45:00Z");
        String reference = made.get("reference").asText();
        assertThat(item(staffDay("timeoff-town", "2027-02-16"), reference).get("needsAttention").asBoolean()).isFalse();

        JsonNode off = json(admin(POST, "/api/admin/therapists/timeoff-tom/time-off",
                Map.of("from", "2027-02-16T00:00:00Z", "to", "2027-02-17T00:00:00Z", "reason", "Sick"))
                .expectStatus().isCreated());
        assertThat(off.get("affectedBookings")).hasSize(1);
        assertThat(off.get("affectedBookings").get(0).get("reference").asText()).isEqualTo(reference);
        assertThat(off.get("affectedBookings").get(0).get("startsAt").asText()).isEqualTo("2027-02-16T10:45:00Z");
        assertThat(availability("timeoff-town", "sports-massage-30", "2027-02-16")).isEmpty();
        assertThat(item(staffDay("timeoff-town", "2027-02-16"), reference).get("needsAttention").asBoolean()).isTrue();

        JsonNode details = json(admin(GET, "/api/admin/therapists/timeoff-tom", null).expectStatus().isOk());
        assertThat(details.get("timeOff").findValuesAsText("reason")).containsExactly("Sick");

        admin(DELETE, "/api/admin/time-off/" + off.get("id").asText(), null).expectStatus().isNoContent();
        assertThat(item(staffDay("timeoff-town", "2027-02-16"), reference).get("needsAttention").asBoolean()).isFalse();
        assertThat(availability("timeoff-town", "sports-massage-30", "2027-02-16")).isNotEmpty();
        admin(DELETE, "/api/admin/time-off/" + off.get("id").asText(), null).expectStatus().isNotFound();
        admin(DELETE, "/api/admin/time-off/not-a-number", null).expectStatus().isNotFound();

        // time off that touches no booking strands nothing
        JsonNode quiet = json(admin(POST, "/api/admin/therapists/timeoff-tom/time-off",
                Map.of("from", "2027-03-01T00:00:00Z", "to", "2027-03-02T00:00:00Z")).expectStatus().isCreated());
        assertThat(quiet.get("affectedBookings")).isEmpty();
        assertThat(quiet.get("reason").asText()).isEqualTo("Time off");
    }

    @Test
    void aPatternEffectiveNextMondayChangesNothingBeforeIt() {
        createLocation("pattern-town");
        createTherapist("pattern-pat", "pattern-town", "sports-massage-30");
        String late = book("pattern-town", "sports-massage-30", "pattern-pat", "2027-02-02T15:45:00Z")
                .get("reference").asText();
        String early = book("pattern-town", "sports-massage-30", "pattern-pat", "2027-02-02T09:45:00Z")
                .get("reference").asText();

        // now is Wednesday 2027-01-20; from Monday 2027-01-25 mornings only
        JsonNode saved = json(admin(PUT, "/api/admin/therapists/pattern-pat/working-hours",
                Map.of("effectiveFrom", "2027-01-25", "days", week("pattern-town", "09:00", "12:00", List.of())))
                .expectStatus().isOk());
        assertThat(saved.get("affectedBookings").findValuesAsText("reference")).containsExactly(late)
                .doesNotContain(early);

        List<String> friday = availability("pattern-town", "sports-massage-30", "2027-01-22").findValuesAsText("startsAt");
        assertThat(friday).contains("2027-01-22T15:00:00Z", "2027-01-22T16:30:00Z")
                .doesNotContain("2027-01-22T13:00:00Z");
        assertThat(availability("pattern-town", "sports-massage-30", "2027-01-23").findValuesAsText("startsAt"))
                .contains("2027-01-23T16:00:00Z");
        List<String> monday = availability("pattern-town", "sports-massage-30", "2027-01-25").findValuesAsText("startsAt");
        assertThat(monday).contains("2027-01-25T09:00:00Z", "2027-01-25T11:30:00Z")
                .doesNotContain("2027-01-25T12:00:00Z", "2027-01-25T15:00:00Z");

        JsonNode details = json(admin(GET, "/api/admin/therapists/pattern-pat", null).expectStatus().isOk());
        assertThat(details.get("workingHours").findValuesAsText("effectiveFrom"))
                .containsExactly("2027-01-20", "2027-01-25");
        assertThat(details.get("workingHours").get(1).get("days").get(0).get("to").asText()).isEqualTo("12:00");
        assertThat(details.get("workingHours").get(0).get("days").get(0).get("breaks").get(0).get("from").asText())
                .isEqualTo("13:00");
        assertThat(details.get("locationIds").toString()).isEqualTo("[\"pattern-town\"]");
    }

    @Test
    void aPriceChangeLeavesConfirmedBookingsTheirPriceAndIsAuditedBeforeAndAfter() {
        createLocation("price-town");
        admin(POST, "/api/admin/treatments", Map.of("id", "price-test-30", "name", "Price test", "category", "sports-massage",
                "durationMinutes", 30, "pricePence", 3000, "active", true)).expectStatus().isCreated();
        createTherapist("price-pia", "price-town", "price-test-30");
        JsonNode before = book("price-town", "price-test-30", "price-pia", "2027-02-03T10:45:00Z");
        assertThat(before.get("pricePence").asLong()).isEqualTo(3000);

        JsonNode saved = json(admin(PUT, "/api/admin/treatments/price-test-30", Map.of("name", "Price test",
                "category", "sports-massage", "durationMinutes", 30, "pricePence", 3900, "description", "Now dearer",
                "active", true)).expectStatus().isOk());
        assertThat(saved.get("pricePence").asLong()).isEqualTo(3900);
        assertThat(saved.get("affectedBookings")).isEmpty();

        JsonNode kept = json(http.get().uri("/api/bookings/" + before.get("reference").asText())
                .header("X-Manage-Token", before.get("manageToken").asText()).exchange().expectStatus().isOk());
        assertThat(kept.get("pricePence").asLong()).isEqualTo(3000);
        assertThat(kept.get("totalPence").asLong()).isEqualTo(3000);
        assertThat(book("price-town", "price-test-30", "price-pia", "2027-02-03T11:45:00Z").get("pricePence").asLong())
                .isEqualTo(3900);
        JsonNode listed = json(http.get().uri("/api/treatments").exchange().expectStatus().isOk());
        for (JsonNode t : listed) {
            if (t.get("id").asText().equals("price-test-30")) {
                assertThat(t.get("description").asText()).isEqualTo("Now dearer");
            }
        }

        JsonNode audit = json(admin(GET, "/api/admin/audit?actor=admin@clinic.test&limit=1000", null).expectStatus().isOk());
        JsonNode entry = null;
        for (JsonNode e : audit) {
            if (e.get("action").asText().equals("treatment.updated") && e.get("target").asText().equals("treatment/price-test-30")) {
                entry = e;
            }
        }
        assertThat(entry).as("audit entry of the price change").isNotNull();
        assertThat(entry.get("details").get("pricePence").get("before").asLong()).isEqualTo(3000);
        assertThat(entry.get("details").get("pricePence").get("after").asLong()).isEqualTo(3900);
    }

    @Test
    void badInputIsAValidationProblemNamingTheFieldAndWritesNothing() {
        createLocation("bad-town");
        createTherapist("bad-bea", "bad-town", "sports-massage-30");
        JsonNode pattern = json(admin(GET, "/api/admin/therapists/bad-bea", null).expectStatus().isOk()).get("workingHours");
        long audits = sql("select count(*) from audit_entry");
        long events = sql("select count(*) from outbox_event where topic = 'catalogue.events'");

        String path = "/api/admin/therapists/bad-bea/working-hours";
        Map<String, Object> monday = new LinkedHashMap<>(Map.of("dayOfWeek", "MONDAY", "locationId", "bad-town",
                "from", "09:00", "to", "12:00"));
        assertViolation(admin(PUT, path, Map.of("days", List.of(monday,
                Map.of("dayOfWeek", "MONDAY", "locationId", "bad-town", "from", "11:00", "to", "14:00")))), "days[1]");
        assertViolation(admin(PUT, path, Map.of("days", List.of(
                Map.of("dayOfWeek", "MONDAY", "locationId", "bad-town", "from", "12:00", "to", "10:00")))), "days[0].to");
        assertViolation(admin(PUT, path, Map.of("days", List.of(
                Map.of("dayOfWeek", "MONDAY", "locationId", "atlantis", "from", "09:00", "to", "10:00")))),
                "days[0].locationId");
        assertViolation(admin(PUT, path, Map.of("days", List.of(
                Map.of("dayOfWeek", "MONDAY", "locationId", "bad-town", "from", "08:00", "to", "12:00")))), "days[0]");
        assertViolation(admin(PUT, path, Map.of("days", List.of(
                Map.of("dayOfWeek", "SUNDAY", "locationId", "bad-town", "from", "09:00", "to", "12:00")))), "days[0]");
        assertViolation(admin(PUT, path, Map.of("days", List.of(Map.of("dayOfWeek", "MONDAY", "locationId", "bad-town",
                "from", "09:00", "to", "12:00", "breaks", List.of(Map.of("from", "12:00", "to", "12:30")))))),
                "days[0].breaks[0]");
        assertViolation(admin(PUT, path, Map.of("effectiveFrom", "2027-01-01", "days", List.of(monday))), "effectiveFrom");
        // one bad entry among good ones: nothing of the request is written, the old pattern stands
        assertViolation(admin(PUT, path, Map.of("days", List.of(monday,
                Map.of("dayOfWeek", "TUESDAY", "locationId", "atlantis", "from", "09:00", "to", "10:00")))),
                "days[1].locationId");
        assertThat(json(admin(GET, "/api/admin/therapists/bad-bea", null).expectStatus().isOk()).get("workingHours"))
                .isEqualTo(pattern);

        assertViolation(admin(POST, "/api/admin/therapists/bad-bea/time-off",
                Map.of("from", "2027-02-16T12:00:00Z", "to", "2027-02-16T09:00:00Z")), "to");
        assertViolation(admin(POST, "/api/admin/therapists", Map.of("id", "bad-bob", "name", "Bob",
                "treatmentIds", List.of("sports-massage-30", "sports-massage-45", "hot-stones"))), "treatmentIds[2]");
        admin(GET, "/api/admin/therapists/bad-bob", null).expectStatus().isNotFound();
        assertViolation(admin(POST, "/api/admin/treatments", Map.of("id", "bad-price", "name", "Bad", "category",
                "sports-massage", "durationMinutes", 30, "pricePence", -1)), "pricePence");
        assertViolation(admin(POST, "/api/admin/treatments", Map.of("id", "bad-length", "name", "Bad", "category",
                "sports-massage", "durationMinutes", 20, "pricePence", 100)), "durationMinutes");
        assertViolation(admin(POST, "/api/admin/treatments", Map.of("id", "bad-length", "name", "Bad", "category",
                "sports-massage", "durationMinutes", 0, "pricePence", 100)), "durationMinutes");
        assertViolation(admin(POST, "/api/admin/treatments", Map.of("id", "Bad Id!", "name", "Bad", "category",
                "sports-massage", "durationMinutes", 30, "pricePence", 100)), "id");
        assertViolation(admin(POST, "/api/admin/closures", Map.of("date", "2027-02-15", "locationId", "atlantis",
                "reason", "x")), "locationId");
        assertViolation(admin(POST, "/api/admin/locations", Map.of("id", "bad-hours", "name", "Bad", "postalAddress",
                Map.of("line1", "1 Road", "town", "Town", "postcode", "S1 1AA"), "phone", "0114 496 0998",
                "openingHours", Map.of("MONDAY", List.of(Map.of("from", "17:00", "to", "09:00"))))),
                "openingHours.MONDAY[0].to");
        assertViolation(admin(POST, "/api/admin/locations", Map.of("id", "bad-address", "name", "Bad",
                "phone", "0114 496 0998")), "postalAddress");
        http.get().uri("/api/closures?from=2027-02-10&to=2027-02-01").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.violations[0].field").isEqualTo("to");

        assertThat(sql("select count(*) from treatment where id in ('bad-price', 'bad-length')")).isZero();
        assertThat(sql("select count(*) from location where id in ('bad-hours', 'bad-address')")).isZero();
        assertThat(sql("select count(*) from time_off where therapist_id = 'bad-bea'")).isZero();
        assertThat(sql("select count(*) from audit_entry")).isEqualTo(audits);
        assertThat(sql("select count(*) from outbox_event where topic = 'catalogue.events'")).isEqualTo(events);
    }

    @Test
    void idsInUseUnknownIdsAndRolesAreAnsweredByTheContract() {
        createLocation("dup-town");
        admin(POST, "/api/admin/locations", Map.of("id", "dup-town", "name", "Again", "postalAddress",
                Map.of("line1", "1 Road", "town", "Town", "postcode", "S1 1AA"), "phone", "0114 496 0998"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("already_exists");
        admin(POST, "/api/admin/treatments", Map.of("id", "sports-massage-30", "name", "Again", "category",
                "sports-massage", "durationMinutes", 30, "pricePence", 100))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("already_exists");
        admin(PUT, "/api/admin/treatments/no-such-treatment", Map.of("name", "X", "category", "sports-massage",
                "durationMinutes", 30, "pricePence", 100))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        admin(PUT, "/api/admin/therapists/nobody", Map.of("name", "X")).expectStatus().isNotFound();
        admin(PUT, "/api/admin/therapists/nobody/working-hours", Map.of("days", List.of())).expectStatus().isNotFound();
        admin(POST, "/api/admin/therapists/nobody/time-off", Map.of("from", "2027-02-16T09:00:00Z",
                "to", "2027-02-16T12:00:00Z")).expectStatus().isNotFound();
        admin(GET, "/api/admin/therapists/nobody", null).expectStatus().isNotFound();
        admin(DELETE, "/api/admin/closures/no-such-closure", null).expectStatus().isNotFound();

        http.get().uri("/api/admin/locations").header("Authorization", "Bearer " + staffToken()).exchange()
                .expectStatus().isForbidden();
        http.post().uri("/api/admin/closures").bodyValue(Map.of("date", "2027-02-15", "reason", "x")).exchange()
                .expectStatus().isUnauthorized();
        assertThat(sql("select count(*) from closure where reason = 'x'")).isZero();
    }

    @Test
    void inactiveLocationsTreatmentsAndTherapistsAreNotListedAndTakeNoBookings() {
        createLocation("quiet-town");
        admin(POST, "/api/admin/treatments", Map.of("id", "quiet-treatment", "name", "Quiet", "category", "sports-massage",
                "durationMinutes", 30, "pricePence", 1000)).expectStatus().isCreated();
        createTherapist("quiet-quinn", "quiet-town", "sports-massage-30", "quiet-treatment");
        createTherapist("quiet-rae", "quiet-town", "sports-massage-30");
        String reference = book("quiet-town", "quiet-treatment", "quiet-quinn", "2027-02-18T10:45:00Z")
                .get("reference").asText();

        // the therapist leaves: their booking needs attention, they are not listed or bookable
        JsonNode therapist = json(admin(PUT, "/api/admin/therapists/quiet-quinn", Map.of("name", "Quinn",
                "treatmentIds", List.of("sports-massage-30", "quiet-treatment"), "active", false)).expectStatus().isOk());
        assertThat(therapist.get("active").asBoolean()).isFalse();
        assertThat(therapist.get("affectedBookings").findValuesAsText("reference")).containsExactly(reference);
        assertThat(json(http.get().uri("/api/therapists?locationId=quiet-town").exchange().expectStatus().isOk())
                .findValuesAsText("id")).containsExactly("quiet-rae");
        assertThat(json(admin(GET, "/api/admin/therapists", null).expectStatus().isOk()).findValuesAsText("id"))
                .contains("quiet-quinn", "quiet-rae");
        assertViolation(post("/api/bookings", booking("quiet-town", "sports-massage-30", "quiet-quinn",
                Instant.parse("2027-02-18T14:45:00Z"))), "therapistId");
        assertThat(availability("quiet-town", "sports-massage-30", "2027-02-18").findValuesAsText("therapistId"))
                .containsOnly("quiet-rae");
        assertThat(item(staffDay("quiet-town", "2027-02-18"), reference).get("needsAttention").asBoolean()).isTrue();

        admin(PUT, "/api/admin/treatments/quiet-treatment", Map.of("name", "Quiet", "category", "sports-massage",
                "durationMinutes", 30, "pricePence", 1000, "active", false)).expectStatus().isOk();
        assertThat(json(http.get().uri("/api/treatments").exchange().expectStatus().isOk()).findValuesAsText("id"))
                .doesNotContain("quiet-treatment").contains("sports-massage-30");
        assertThat(json(admin(GET, "/api/admin/treatments", null).expectStatus().isOk()).findValuesAsText("id"))
                .contains("quiet-treatment");
        assertViolation(post("/api/bookings", booking("quiet-town", "quiet-treatment", null,
                Instant.parse("2027-02-18T14:45:00Z"))), "treatmentId");

        Map<String, Object> closed = new LinkedHashMap<>(Map.of("name", "Quiet Town", "postalAddress",
                Map.of("line1", "1 Test Street", "line2", "Upper Floor", "town", "Sheffield", "postcode", "S1 1AA"),
                "phone", "0114 496 0999", "active", false));
        closed.put("openingHours", Map.of("MONDAY", List.of(Map.of("from", "09:00", "to", "17:00"))));
        JsonNode location = json(admin(PUT, "/api/admin/locations/quiet-town", closed).expectStatus().isOk());
        assertThat(location.get("address").asText()).isEqualTo("1 Test Street, Upper Floor, Sheffield S1 1AA");
        assertThat(json(http.get().uri("/api/locations").exchange().expectStatus().isOk()).findValuesAsText("id"))
                .doesNotContain("quiet-town").contains("sheffield");
        JsonNode adminList = json(admin(GET, "/api/admin/locations", null).expectStatus().isOk());
        assertThat(adminList.findValuesAsText("id")).contains("quiet-town");
        assertViolation(post("/api/bookings", booking("quiet-town", "sports-massage-30", null,
                Instant.parse("2027-02-18T14:45:00Z"))), "locationId");
        assertViolation(http.get().uri("/api/availability?locationId=quiet-town&treatmentId=sports-massage-30&date=2027-02-18")
                .exchange(), "locationId");
    }

    @Test
    void aRepeatedAvailabilityQuestionKeepsItsCatalogueReadYetSeesEveryChangeAtOnce() {
        createLocation("kept-town");
        createTherapist("kept-kim", "kept-town", "sports-massage-30");
        createTherapist("kept-lou", "kept-town", "sports-massage-30");
        long before = sql("select version from catalogue_version");
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22").findValuesAsText("therapistId"))
                .contains("kept-kim", "kept-lou");
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22").findValuesAsText("therapistId"))
                .contains("kept-kim", "kept-lou");
        assertThat(availabilityService.remembers("kept-town", "sports-massage-30")).isTrue();

        // Lou stops giving the treatment: only the catalogue read (who offers it here) knows that, the
        // day's statement does not. A kept read must not outlive the change.
        admin(PUT, "/api/admin/therapists/kept-lou", Map.of("name", "Lou", "treatmentIds", List.of("sports-massage-45"),
                "active", true)).expectStatus().isOk();
        assertThat(sql("select version from catalogue_version")).isGreaterThan(before);
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22").findValuesAsText("therapistId"))
                .containsOnly("kept-kim");
        admin(PUT, "/api/admin/therapists/kept-lou", Map.of("name", "Lou", "treatmentIds", List.of("sports-massage-30"),
                "active", true)).expectStatus().isOk();
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22").findValuesAsText("therapistId"))
                .contains("kept-kim", "kept-lou");

        // The day's catalogue part (hours, closures, patterns) is kept too, and a closure of that very
        // day empties it at once; lifting the closure brings the slots back.
        assertThat(availabilityService.remembersDay("kept-town", LocalDate.parse("2027-02-22"))).isTrue();
        db.sql("insert into closure (id, closure_date, location_id, reason, created_at) values ('kept-monday', "
                + "'2027-02-22', 'kept-town', 'x', now())").fetch().rowsUpdated().block();
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22")).isEmpty();
        db.sql("delete from closure where id = 'kept-monday'").fetch().rowsUpdated().block();
        assertThat(availability("kept-town", "sports-massage-30", "2027-02-22").findValuesAsText("therapistId"))
                .contains("kept-kim", "kept-lou");
        // A break added to Kim's Monday is seen at once as well: her noon slot goes, Lou's stays.
        assertThat(startsOf(availability("kept-town", "sports-massage-30", "2027-02-22"), "kept-kim"))
                .contains("2027-02-22T12:00:00Z");
        db.sql("insert into pattern_break (entry_id, start_time, end_time) select pe.id, '12:00', '12:30' "
                + "from pattern_entry pe join pattern_version v on pe.version_id = v.id "
                + "where v.therapist_id = 'kept-kim' and pe.location_id = 'kept-town' and pe.day_of_week = 1")
                .fetch().rowsUpdated().block();
        JsonNode withBreak = availability("kept-town", "sports-massage-30", "2027-02-22");
        assertThat(startsOf(withBreak, "kept-kim")).doesNotContain("2027-02-22T12:00:00Z");
        assertThat(startsOf(withBreak, "kept-lou")).contains("2027-02-22T12:00:00Z");

        // Any committed write to a catalogue table moves the version, whoever writes it (TRUNCATE too).
        for (String write : List.of(
                "update location set name = name where id = 'kept-town'",
                "update location_opening_hours set end_time = end_time where location_id = 'kept-town'",
                "update treatment set name = name where id = 'sports-massage-30'",
                "update therapist set name = name where id = 'kept-kim'",
                "update therapist_treatment set treatment_id = treatment_id where therapist_id = 'kept-kim'",
                "update pattern_version set effective_from = effective_from where therapist_id = 'kept-kim'",
                "update pattern_entry set end_time = end_time where location_id = 'kept-town'",
                "update pattern_break set end_time = end_time where entry_id in (select id from pattern_entry "
                        + "where location_id = 'kept-town')",
                "insert into closure (id, closure_date, location_id, reason, created_at) values ('kept-closure', '2027-03-01', "
                        + "'kept-town', 'x', now())")) {
            long was = sql("select version from catalogue_version");
            db.sql(write).fetch().rowsUpdated().block();
            assertThat(sql("select version from catalogue_version")).as(write).isGreaterThan(was);
        }
    }

    @Test
    void publicLocationsCarryTheStructuredAddressPhoneAndOpeningHours() {
        JsonNode locations = json(http.get().uri("/api/locations").exchange().expectStatus().isOk());
        JsonNode sheffield = null;
        for (JsonNode l : locations) {
            if (l.get("id").asText().equals("sheffield")) sheffield = l;
        }
        assertThat(sheffield).isNotNull();
        assertThat(sheffield.get("address").asText()).isEqualTo("12 Division Street, Sheffield S1 4GF");
        assertThat(sheffield.get("postalAddress").get("postcode").asText()).isEqualTo("S1 4GF");
        assertThat(sheffield.get("phone").asText()).isEqualTo("0114 496 0000");
        assertThat(sheffield.get("openingHours").get("MONDAY").get(0).get("from").asText()).isEqualTo("09:00");
        assertThat(sheffield.get("openingHours").get("SATURDAY").get(0).get("to").asText()).isEqualTo("17:00");
        assertThat(sheffield.get("openingHours").has("SUNDAY")).isFalse();
    }

    @Test
    void bankHolidaysAreClosuresOfEveryLocationAppliedOnceWhateverTheStarts() {
        JsonNode closures = json(http.get().uri("/api/closures?from=2026-01-01&to=2027-12-31").exchange()
                .expectStatus().isOk());
        assertThat(closures.findValuesAsText("id")).contains("bank-holiday-2026-01-01", "bank-holiday-2026-12-25",
                "bank-holiday-2026-12-26", "bank-holiday-2026-12-28", "bank-holiday-2027-03-26",
                "bank-holiday-2027-03-29", "bank-holiday-2027-12-25", "bank-holiday-2027-12-26",
                "bank-holiday-2027-12-27", "bank-holiday-2027-12-28");
        for (JsonNode c : closures) {
            if (c.get("id").asText().startsWith("bank-holiday-")) {
                assertThat(c.get("locationId").isNull()).isTrue();
                assertThat(c.get("date").asText()).isEqualTo(c.get("id").asText().substring("bank-holiday-".length()));
            }
        }
        assertThat(availability("doncaster", "sports-massage-30", "2027-03-29")).isEmpty();
        assertThat(availability("doncaster", "sports-massage-30", "2027-03-30")).isNotEmpty();

        long rows = sql("select count(*) from closure where id like 'bank-holiday-%'");
        long events = sql("select count(*) from outbox_event where event_type = 'closure.changed.v1' and event_key like 'bank-holiday-%'");
        assertThat(rows).isEqualTo(19);
        assertThat(events).isEqualTo(19);
        assertThat(sql("select count(*) from audit_entry where actor = 'system:booking-service' and action = 'closure.added'"))
                .isGreaterThanOrEqualTo(19);
        bankHolidays.apply();
        assertThat(sql("select count(*) from closure where id like 'bank-holiday-%'")).isEqualTo(rows);
        assertThat(sql("select count(*) from outbox_event where event_type = 'closure.changed.v1' and event_key like 'bank-holiday-%'"))
                .isEqualTo(events);
        assertThat(Set.copyOf(BankHolidays.read().stream().map(BankHolidays.Holiday::id).toList())).hasSize(19);
    }
}
