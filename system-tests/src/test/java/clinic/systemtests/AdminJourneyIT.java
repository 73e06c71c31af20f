package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 through the gateway: an admin sets up a new location, a treatment and a therapist with
 * a weekly pattern; a customer books that therapist; the admin's time off over the booking lists
 * it in affectedBookings and the staff day list flags it until the time off is withdrawn.
 */
class AdminJourneyIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    private static JsonNode ok(Platform.Response r, int status) {
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(status);
        return r.body();
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode n : list) {
            if (value.equals(n.get(field).asText())) return n;
        }
        throw new AssertionError(value + " not in " + list);
    }

    @Test
    void adminSetsUpAClinicACustomerBooksItAndTimeOffFlagsTheBooking() {
        String admin = p.token("admin@clinic.test");
        String staff = p.token("staff@clinic.test");
        String tag = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String location = tag + "-town";
        String treatment = tag + "-massage";
        String therapist = tag + "-tess";

        Map<String, Object> hours = new LinkedHashMap<>();
        List<Object> days = new ArrayList<>();
        for (String d : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")) {
            hours.put(d, List.of(Map.of("from", "09:00", "to", "17:00")));
            days.add(Map.of("dayOfWeek", d, "locationId", location, "from", "09:00", "to", "17:00",
                    "breaks", List.of(Map.of("from", "13:00", "to", "13:30"))));
        }
        ok(p.post("/api/admin/locations", Map.of("id", location, "name", "Journey Town",
                "postalAddress", Map.of("line1", "7 Surrey Street", "town", "Sheffield", "postcode", "S1 2LG"),
                "phone", "0114 496 0777", "email", "journey@clinic.example", "openingHours", hours, "active", true),
                "Authorization", admin), 201);
        ok(p.post("/api/admin/treatments", Map.of("id", treatment, "name", "Journey massage (45 min)",
                "category", "sports-massage", "durationMinutes", 45, "pricePence", 4800,
                "description", "Made by the journey test."), "Authorization", admin), 201);
        ok(p.post("/api/admin/therapists", Map.of("id", therapist, "name", "Tess Journey",
                "treatmentIds", List.of(treatment)), "Authorization", admin), 201);
        ok(p.put("/api/admin/therapists/" + therapist + "/working-hours", Map.of("days", days),
                "Authorization", admin), 200);
        // a bad pattern is refused naming the entry, and nothing changes
        var bad = p.put("/api/admin/therapists/" + therapist + "/working-hours", Map.of("days", List.of(
                Map.of("dayOfWeek", "MONDAY", "locationId", location, "from", "08:00", "to", "12:00"))),
                "Authorization", admin);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("violations").get(0).get("field").asText()).isEqualTo("days[0]");
        assertThat(p.get("/api/admin/locations", "Authorization", staff).status()).isEqualTo(403);

        JsonNode listed = find(ok(p.get("/api/locations"), 200), "id", location);
        assertThat(listed.get("address").asText()).isEqualTo("7 Surrey Street, Sheffield S1 2LG");
        assertThat(listed.get("openingHours").get("MONDAY").get(0).get("from").asText()).isEqualTo("09:00");
        assertThat(find(ok(p.get("/api/treatments"), 200), "id", treatment).get("pricePence").asLong()).isEqualTo(4800);
        assertThat(ok(p.get("/api/therapists?locationId=" + location), 200).findValuesAsText("id"))
                .containsExactly(therapist);

        LocalDate day = Journeys.weekdayAhead(14);
        JsonNode slots = Journeys.slots(p, location, treatment, day);
        assertThat(slots.size()).as("free slots on " + day).isPositive();
        String email = Journeys.uniqueEmail("admin-journey");
        JsonNode booked = ok(p.post("/api/bookings", Journeys.booking(location, treatment, slots.get(0), email, null)), 201);
        String reference = booked.get("reference").asText();
        assertThat(booked.get("pricePence").asLong()).isEqualTo(4800);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.mail(email).size() >= 1);
        assertThat(p.mail(email).get(0).toString()).contains(reference);

        Instant startsAt = Instant.parse(booked.get("startsAt").asText());
        JsonNode off = ok(p.post("/api/admin/therapists/" + therapist + "/time-off", Map.of(
                "from", startsAt.minusSeconds(3600).toString(), "to", startsAt.plusSeconds(7200).toString(),
                "reason", "Sick"), "Authorization", admin), 201);
        assertThat(off.get("affectedBookings").findValuesAsText("reference")).containsExactly(reference);

        String staffDay = "/api/staff/bookings?locationId=" + location + "&date=" + day;
        assertThat(find(ok(p.get(staffDay, "Authorization", staff), 200), "reference", reference)
                .get("needsAttention").asBoolean()).isTrue();
        ok(p.delete("/api/admin/time-off/" + off.get("id").asText(), "Authorization", admin), 204);
        assertThat(find(ok(p.get(staffDay, "Authorization", staff), 200), "reference", reference)
                .get("needsAttention").asBoolean()).isFalse();
    }

    @Test
    void bankHolidaysAreClosedOutOfTheBox() {
        JsonNode closures = ok(p.get("/api/closures?from=2026-01-01&to=2027-12-31"), 200);
        assertThat(closures.findValuesAsText("id")).contains("bank-holiday-2026-12-25", "bank-holiday-2026-12-26",
                "bank-holiday-2027-12-25", "bank-holiday-2027-12-26", "bank-holiday-2027-03-29");
        LocalDate boxingDay = LocalDate.of(LocalDate.now(Journeys.LONDON).getYear(), 12, 26);
        if (!boxingDay.isBefore(LocalDate.now(Journeys.LONDON).plusDays(1))
                && boxingDay.getDayOfWeek() != java.time.DayOfWeek.SUNDAY) {
            assertThat(Journeys.slots(p, "sheffield", "sports-massage-30", boxingDay)).isEmpty();
        }
    }
}
