package clinic.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.systemtests.Platform;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A clinic of the staff-desk browser tests' own, made through the admin API: one location, one
 * treatment and one therapist working Monday–Friday 09:00–17:00 with a break at 12:30. No other
 * test books there, so the free times and the diary these tests see are theirs alone.
 */
record StaffDeskClinic(String location, String locationName, String treatment, String treatmentName,
                       String therapist, String therapistName) {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final List<String> WEEKDAYS = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY");

    static StaffDeskClinic create(Platform p, String label) {
        String admin = p.token("admin@clinic.test");
        String sfx = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String location = label + "-loc-" + sfx;
        String locationName = "Desk " + label + " " + sfx;

        Map<String, Object> hours = new LinkedHashMap<>();
        for (String d : WEEKDAYS) hours.put(d, List.of(Map.of("from", "08:00", "to", "19:00")));
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("id", location);
        l.put("name", locationName);
        l.put("postalAddress", Map.of("line1", "Unit " + sfx + " Desk Works", "town", "Sheffield", "postcode", "S3 8RY"));
        l.put("phone", "0114 496 0123");
        l.put("openingHours", hours);
        l.put("active", true);
        var lr = p.post("/api/admin/locations", l, "Authorization", admin);
        assertThat(lr.status()).as("create location: %s", lr.body()).isEqualTo(201);

        String treatment = label + "-rehab-" + sfx;
        String treatmentName = "Desk rehab " + sfx;
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", treatment);
        t.put("name", treatmentName);
        t.put("category", "rehab-" + sfx);
        t.put("durationMinutes", 45);
        t.put("pricePence", 4250);
        t.put("active", true);
        var tr = p.post("/api/admin/treatments", t, "Authorization", admin);
        assertThat(tr.status()).as("create treatment: %s", tr.body()).isEqualTo(201);

        String therapist = label + "-ther-" + sfx;
        String therapistName = "Robin " + sfx;
        var th = p.post("/api/admin/therapists", Map.of("id", therapist, "name", therapistName,
                "treatmentIds", List.of(treatment), "active", true), "Authorization", admin);
        assertThat(th.status()).as("create therapist: %s", th.body()).isEqualTo(201);

        List<Map<String, Object>> days = new ArrayList<>();
        for (String d : WEEKDAYS) {
            days.add(Map.of("dayOfWeek", d, "locationId", location, "from", "09:00", "to", "17:00",
                    "breaks", List.of(Map.of("from", "12:30", "to", "13:00"))));
        }
        var wh = p.put("/api/admin/therapists/" + therapist + "/working-hours",
                Map.of("effectiveFrom", LocalDate.now(LONDON).toString(), "days", days), "Authorization", admin);
        assertThat(wh.status()).as("working hours: %s", wh.body()).isBetween(200, 204);
        return new StaffDeskClinic(location, locationName, treatment, treatmentName, therapist, therapistName);
    }

    /** An open weekday (no closure) at least {@code daysAhead} days from today. */
    static LocalDate weekdayAhead(Platform p, int daysAhead) {
        return p.openWeekday(LocalDate.now(LONDON).plusDays(daysAhead));
    }

    /** The free slots of this clinic's treatment on a day. */
    JsonNode slots(Platform p, LocalDate day) {
        var r = p.get("/api/availability?locationId=" + location + "&treatmentId=" + treatment + "&date=" + day);
        assertThat(r.status()).as("availability: %s", r.body()).isEqualTo(200);
        return r.body().get("slots");
    }

    /** A public booking of one slot for a customer; returns the booking. */
    JsonNode book(Platform p, JsonNode slot, String name, String email) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("locationId", location);
        b.put("treatmentId", treatment);
        b.put("therapistId", slot.get("therapistId").asText());
        b.put("startsAt", slot.get("startsAt").asText());
        b.put("customer", Map.of("name", name, "email", email, "phone", "07700 100321"));
        var r = p.post("/api/bookings", b);
        assertThat(r.status()).as("booking: %s", r.body()).isEqualTo(201);
        return r.body();
    }
}
