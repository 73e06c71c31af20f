package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 as a clinic owner meets it, through the gateway only: an admin sets up a new location,
 * a treatment and a therapist with a weekly pattern; a customer books that therapist; the
 * confirmation mail names the new location's address; time off over the booking hands it back as
 * affected and the staff day list flags it until the time off is withdrawn. Bad input is refused
 * naming the field, and a refused pattern leaves the old one in place. Bank holidays are closed
 * out of the box.
 */
class AdminJourneyIT {
    static final List<String> WEEKDAYS = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY");

    static Platform p;
    static String admin;

    @BeforeAll
    static void start() {
        p = Platform.get();
        admin = p.token("admin@clinic.test");
    }

    /** One new location, treatment and therapist, with ids no other test uses. */
    record Clinic(String location, String line1, String postcode, String treatment, String therapist) {}

    @Test
    void adminSetsUpAClinicACustomerBooksItAndTimeOffFlagsTheBooking() {
        Clinic c = setUpClinic();

        // The public catalogue shows what the admin made, with the structured address.
        JsonNode loc = byId(p.get("/api/locations").body(), c.location());
        assertThat(loc).as("new location listed publicly").isNotNull();
        assertThat(loc.path("postalAddress").path("postcode").asText()).isEqualTo(c.postcode());
        assertThat(loc.path("address").asText()).contains(c.line1());
        JsonNode treatment = byId(p.get("/api/treatments").body(), c.treatment());
        assertThat(treatment.path("pricePence").asLong()).isEqualTo(4250);
        assertThat(ids(p.get("/api/therapists?locationId=" + c.location()).body())).containsExactly(c.therapist());

        // Slots follow the pattern: that therapist only, 09:00 to 17:00 London time, none in the break.
        LocalDate day = openWeekday(c.location(), 8);
        JsonNode slots = Journeys.slots(p, c.location(), c.treatment(), day);
        assertThat(slots.size()).as("slots on " + day).isPositive();
        for (JsonNode s : slots) {
            assertThat(s.get("therapistId").asText()).isEqualTo(c.therapist());
            LocalTime from = local(s.get("startsAt"));
            LocalTime to = local(s.get("endsAt"));
            assertThat(from).isAfterOrEqualTo(LocalTime.of(9, 0));
            assertThat(to).isBeforeOrEqualTo(LocalTime.of(17, 0));
            assertThat(from.isBefore(LocalTime.of(13, 0)) && to.isAfter(LocalTime.of(12, 30)))
                    .as("slot %s–%s overlaps the 12:30–13:00 break", from, to).isFalse();
        }
        assertThat(local(slots.get(0).get("startsAt"))).isEqualTo(LocalTime.of(9, 0));

        // A customer books the first one.
        JsonNode slot = slots.get(0);
        String email = Journeys.uniqueEmail("admin-journey");
        var booked = p.post("/api/bookings", Journeys.booking(c.location(), c.treatment(), slot, email, null));
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        String ref = booked.body().get("reference").asText();
        assertThat(booked.body().get("pricePence").asLong()).isEqualTo(4250);

        // The confirmation mail (and its calendar file) names the new location's address.
        await().atMost(Duration.ofSeconds(60)).until(() -> p.mail(email).size() >= 1);
        String mail = p.mail(email).get(0).toString();
        assertThat(mail).contains(ref).contains(c.line1()).contains(c.postcode());

        // Not yet flagged.
        assertThat(staffDay(c.location(), day, ref).path("needsAttention").asBoolean(false)).isFalse();

        // Time off over the booking is applied and hands the booking back.
        Instant starts = Instant.parse(slot.get("startsAt").asText());
        Instant ends = Instant.parse(slot.get("endsAt").asText());
        var off = p.post("/api/admin/therapists/" + c.therapist() + "/time-off",
                Map.of("from", starts.minusSeconds(1800).toString(), "to", ends.plusSeconds(1800).toString(), "reason", "Sickness"),
                "Authorization", admin);
        assertThat(off.status()).as(String.valueOf(off.body())).isEqualTo(201);
        assertThat(off.body().path("id").isMissingNode()).isFalse();
        JsonNode affected = off.body().get("affectedBookings");
        assertThat(affected).as("affectedBookings").isNotNull();
        assertThat(affected.size()).isEqualTo(1);
        assertThat(affected.get(0).get("reference").asText()).isEqualTo(ref);
        assertThat(Instant.parse(affected.get(0).get("startsAt").asText())).isEqualTo(starts);

        // The staff day list flags it; the booking itself stands.
        JsonNode flagged = staffDay(c.location(), day, ref);
        assertThat(flagged.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(flagged.path("needsAttention").asBoolean(false)).as("needsAttention of %s", ref).isTrue();

        // No slot is offered inside the time off any more.
        for (JsonNode s : Journeys.slots(p, c.location(), c.treatment(), day)) {
            Instant from = Instant.parse(s.get("startsAt").asText());
            Instant to = Instant.parse(s.get("endsAt").asText());
            assertThat(from.isBefore(ends.plusSeconds(1800)) && to.isAfter(starts.minusSeconds(1800)))
                    .as("slot %s inside the time off", from).isFalse();
        }

        // The time off shows in the therapist's detail and can be deleted.
        String timeOffId = off.body().get("id").asText();
        assertThat(detail(c.therapist()).toString()).contains(timeOffId);
        var deleted = p.delete("/api/admin/time-off/" + timeOffId, "Authorization", admin);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(p.delete("/api/admin/time-off/" + timeOffId, "Authorization", admin).status()).isEqualTo(404);
        // With the time off withdrawn the booking is inside availability again: no longer flagged.
        assertThat(staffDay(c.location(), day, ref).path("needsAttention").asBoolean(true)).isFalse();
    }

    @Test
    void bankHolidaysAreClosedOutOfTheBox() {
        var r = p.get("/api/closures?from=2026-01-01&to=2027-12-31");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().findValuesAsText("id")).contains("bank-holiday-2026-12-25", "bank-holiday-2026-12-26",
                "bank-holiday-2027-12-25", "bank-holiday-2027-12-26", "bank-holiday-2027-03-29");
        LocalDate boxingDay = LocalDate.of(LocalDate.now(Journeys.LONDON).getYear(), 12, 26);
        if (!boxingDay.isBefore(LocalDate.now(Journeys.LONDON).plusDays(1))
                && boxingDay.getDayOfWeek() != java.time.DayOfWeek.SUNDAY) {
            assertThat(Journeys.slots(p, "sheffield", "sports-massage-30", boxingDay)).isEmpty();
        }
    }

    @Test
    void everyAdminWriteIsInTheAuditLogByTheAdminWhoMadeIt() {
        Clinic c = setUpClinic();
        String today = LocalDate.now(Journeys.LONDON).toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var audit = p.get("/api/admin/audit?from=" + today + "&to=" + today + "&actor=admin@clinic.test&limit=1000",
                    "Authorization", admin);
            assertThat(audit.status()).as(String.valueOf(audit.body())).isEqualTo(200);
            List<String> targets = new ArrayList<>();
            Instant previous = null;
            for (JsonNode e : audit.body()) {
                assertThat(e.get("actor").asText()).isEqualTo("admin@clinic.test");
                Instant at = Instant.parse(e.get("at").asText());
                if (previous != null) assertThat(at).as("newest first").isBeforeOrEqualTo(previous);
                previous = at;
                targets.add(e.path("target").asText());
            }
            assertThat(String.join(" ", targets)).contains(c.location()).contains(c.treatment()).contains(c.therapist());
        });
    }

    @Test
    void aRefusedPatternNamesTheFieldAndLeavesTheOldPatternInPlace() {
        Clinic c = setUpClinic();
        JsonNode before = detail(c.therapist());
        assertThat(before.findValues("days")).as("the saved pattern in " + before).isNotEmpty();

        Map<String, Object> good = entry("MONDAY", c.location(), "09:00", "17:00", List.of());
        // Each bad pattern carries a good entry first: a half-applied write would show in the GET.
        assertRefused(c, List.of(good, entry("MONDAY", c.location(), "12:00", "18:00", List.of())), "days");
        assertRefused(c, List.of(good, entry("TUESDAY", c.location(), "17:00", "09:00", List.of())), "days[1]");
        assertRefused(c, List.of(good, entry("TUESDAY", "no-such-clinic-" + c.location(), "09:00", "17:00", List.of())),
                "days[1].locationId");
        // Open 08:00–19:00 on weekdays, 09:00–13:00 on Saturday, closed on Sunday.
        assertRefused(c, List.of(good, entry("SATURDAY", c.location(), "09:00", "17:00", List.of())), "days[1]");
        assertRefused(c, List.of(good, entry("SUNDAY", c.location(), "10:00", "12:00", List.of())), "days[1]");
        assertRefused(c, List.of(good, entry("WEDNESDAY", c.location(), "07:00", "12:00", List.of())), "days[1]");

        assertThat(detail(c.therapist())).as("pattern after refused writes").isEqualTo(before);
    }

    @Test
    void badCatalogueInputIsRefusedNamingTheFieldAndNothingIsWritten() {
        String id = "bad-" + suffix();
        Map<String, Object> location = location(id, "Bad hours " + id, "1 Nowhere Street", "S1 1AA");
        @SuppressWarnings("unchecked")
        Map<String, Object> hours = new LinkedHashMap<>((Map<String, Object>) location.get("openingHours"));
        hours.put("MONDAY", List.of(Map.of("from", "17:00", "to", "09:00")));
        location.put("openingHours", hours);
        var refused = p.post("/api/admin/locations", location, "Authorization", admin);
        assertValidationFailed(refused, "openingHours.MONDAY");
        assertThat(ids(p.get("/api/admin/locations", "Authorization", admin).body())).doesNotContain(id);

        Map<String, Object> treatment = treatment(id, "sports-massage");
        treatment.put("durationMinutes", 0);
        assertValidationFailed(p.post("/api/admin/treatments", treatment, "Authorization", admin), "durationMinutes");
        assertThat(ids(p.get("/api/admin/treatments", "Authorization", admin).body())).doesNotContain(id);

        var therapist = p.post("/api/admin/therapists",
                Map.of("id", id, "name", "Nobody", "treatmentIds", List.of("no-such-treatment-" + id), "active", true),
                "Authorization", admin);
        assertValidationFailed(therapist, "treatmentIds");
        assertThat(ids(p.get("/api/admin/therapists", "Authorization", admin).body())).doesNotContain(id);

        Clinic c = setUpClinic();
        var backwards = p.post("/api/admin/therapists/" + c.therapist() + "/time-off",
                Map.of("from", "2030-01-02T10:00:00Z", "to", "2030-01-02T09:00:00Z"), "Authorization", admin);
        assertValidationFailed(backwards, "to", "from");
        assertThat(detail(c.therapist()).toString()).doesNotContain("2030-01-02");

        var closure = p.post("/api/admin/closures",
                Map.of("date", LocalDate.now(Journeys.LONDON).plusDays(30).toString(), "locationId", "no-such-clinic-" + id,
                        "reason", "Refurbishment"), "Authorization", admin);
        assertValidationFailed(closure, "locationId");

        assertThat(p.put("/api/admin/therapists/no-such-" + id + "/working-hours",
                Map.of("days", List.of()), "Authorization", admin).body().path("code").asText()).isEqualTo("not_found");
        assertThat(p.get("/api/admin/therapists/no-such-" + id, "Authorization", admin).status()).isEqualTo(404);

        // Only an admin may see or change the clinic's set-up.
        assertThat(p.get("/api/admin/locations", "Authorization", p.token("staff@clinic.test")).status()).isEqualTo(403);
        assertThat(p.post("/api/admin/locations", location(id, "x", "1 A Street", "S1 1AA"),
                "Authorization", p.token("staff@clinic.test")).status()).isEqualTo(403);
        assertThat(p.post("/api/admin/locations", location(id, "x", "1 A Street", "S1 1AA")).status()).isEqualTo(401);
    }

    // ---------------------------------------------------------------- helpers

    private Clinic setUpClinic() {
        String sfx = suffix();
        String location = "it-loc-" + sfx;
        String line1 = "Unit " + sfx.substring(0, 4) + " Kelham Island Works";
        String postcode = "S3 8RY";
        var l = p.post("/api/admin/locations", location(location, "Kelham " + sfx, line1, postcode), "Authorization", admin);
        assertThat(l.status()).as("create location: %s", l.body()).isEqualTo(201);

        String treatment = "it-rehab-" + sfx;
        var t = p.post("/api/admin/treatments", treatment(treatment, "rehab-" + sfx), "Authorization", admin);
        assertThat(t.status()).as("create treatment: %s", t.body()).isEqualTo(201);

        String therapist = "it-ther-" + sfx;
        var th = p.post("/api/admin/therapists", Map.of("id", therapist, "name", "Morgan " + sfx, "bio", "Rehab after injury.",
                "treatmentIds", List.of(treatment), "active", true), "Authorization", admin);
        assertThat(th.status()).as("create therapist: %s", th.body()).isEqualTo(201);

        List<Map<String, Object>> days = new ArrayList<>();
        for (String d : WEEKDAYS) days.add(entry(d, location, "09:00", "17:00", List.of(Map.of("from", "12:30", "to", "13:00"))));
        var wh = p.put("/api/admin/therapists/" + therapist + "/working-hours",
                Map.of("effectiveFrom", LocalDate.now(Journeys.LONDON).toString(), "days", days), "Authorization", admin);
        assertThat(wh.status()).as("pattern: %s", wh.body()).isBetween(200, 204);

        JsonNode saved = detail(therapist);
        JsonNode monday = null;
        for (JsonNode list : saved.findValues("days")) {
            for (JsonNode e : list) if (monday == null && e.path("dayOfWeek").asText().equals("MONDAY")) monday = e;
        }
        assertThat(monday).as("Monday in the saved pattern %s", saved).isNotNull();
        assertThat(monday.get("locationId").asText()).isEqualTo(location);
        assertThat(monday.get("from").asText()).startsWith("09:00");
        assertThat(monday.get("to").asText()).startsWith("17:00");
        assertThat(monday.get("breaks").toString()).contains("12:30");
        return new Clinic(location, line1, postcode, treatment, therapist);
    }

    private void assertRefused(Clinic c, List<Map<String, Object>> days, String fieldPrefix) {
        var r = p.put("/api/admin/therapists/" + c.therapist() + "/working-hours", Map.of("days", days), "Authorization", admin);
        assertThat(r.status()).as("pattern %s answered %s", days, r.body()).isEqualTo(400);
        assertValidationFailed(r, fieldPrefix);
    }

    /** 400 validation_failed with a violation whose field is, or lies inside, one of the given fields. */
    private static void assertValidationFailed(Platform.Response r, String... fields) {
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.body().get("code").asText()).isEqualTo("validation_failed");
        List<String> named = new ArrayList<>();
        r.body().get("violations").forEach(v -> named.add(v.get("field").asText()));
        assertThat(named).as("violations of %s", r.body())
                .anyMatch(f -> List.of(fields).stream().anyMatch(want -> f.equals(want) || f.startsWith(want + ".") || f.startsWith(want + "[")));
    }

    static Map<String, Object> location(String id, String name, String line1, String postcode) {
        Map<String, Object> hours = new LinkedHashMap<>();
        for (String d : WEEKDAYS) hours.put(d, List.of(Map.of("from", "08:00", "to", "19:00")));
        hours.put("SATURDAY", List.of(Map.of("from", "09:00", "to", "13:00")));
        hours.put("SUNDAY", List.of());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", id);
        b.put("name", name);
        b.put("postalAddress", Map.of("line1", line1, "town", "Sheffield", "postcode", postcode));
        b.put("phone", "0114 496 0123");
        b.put("email", "kelham@clinic.test");
        b.put("openingHours", hours);
        b.put("active", true);
        return b;
    }

    static Map<String, Object> treatment(String id, String category) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", id);
        b.put("name", "Injury rehab " + id);
        b.put("category", category);
        b.put("durationMinutes", 45);
        b.put("pricePence", 4250);
        b.put("description", "Assessment and a plan back to sport.");
        b.put("active", true);
        return b;
    }

    static Map<String, Object> entry(String day, String location, String from, String to, List<Map<String, String>> breaks) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("dayOfWeek", day);
        e.put("locationId", location);
        e.put("from", from);
        e.put("to", to);
        e.put("breaks", breaks);
        return e;
    }

    private static JsonNode detail(String therapist) {
        var r = p.get("/api/admin/therapists/" + therapist, "Authorization", admin);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
        return r.body();
    }

    /** The booking with that reference in the staff day list. */
    private static JsonNode staffDay(String location, LocalDate day, String ref) {
        var r = p.get("/api/staff/bookings?locationId=" + location + "&date=" + day, "Authorization", p.token("staff@clinic.test"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode list = r.body().isArray() ? r.body() : r.body().path("bookings");
        for (JsonNode b : list) if (b.path("reference").asText().equals(ref)) return b;
        throw new AssertionError(ref + " not in the staff list " + r.body());
    }

    /**
     * A Monday–Friday at least {@code daysAhead} days ahead that is no closure there (bank holidays
     * are closures of every location).
     */
    static LocalDate openWeekday(String location, int daysAhead) {
        LocalDate d = Journeys.weekdayAhead(daysAhead);
        var r = p.get("/api/closures?from=" + d + "&to=" + d.plusDays(30));
        assertThat(r.status()).isEqualTo(200);
        List<String> closed = new ArrayList<>();
        for (JsonNode c : r.body()) {
            String at = c.path("locationId").asText("");
            if (at.isEmpty() || at.equals("null") || at.equals(location)) closed.add(c.get("date").asText());
        }
        while (closed.contains(d.toString())) {
            d = d.plusDays(1);
            while (d.getDayOfWeek().getValue() > 5) d = d.plusDays(1);
        }
        return d;
    }

    private static LocalTime local(JsonNode instant) {
        return Instant.parse(instant.asText()).atZone(Journeys.LONDON).toLocalTime();
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode n : array) if (n.path("id").asText().equals(id)) return n;
        return null;
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }
}
