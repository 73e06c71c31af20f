package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4 and 6 as a customer and staff see them, through the gateway only: find a slot two weeks
 * ahead, book it, get the confirmation mail with its calendar file, see it in the staff list,
 * cancel it, and book the freed slot again.
 */
class BookingJourneyIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void catalogueHasTheFiveLocationsAndSportsMassage() {
        var locations = p.get("/api/locations");
        assertThat(locations.status()).isEqualTo(200);
        assertThat(ids(locations.body())).contains("sheffield", "doncaster", "rotherham", "hathersage", "chesterfield");
        var treatments = p.get("/api/treatments");
        assertThat(ids(treatments.body())).contains("sports-massage-30", "sports-massage-45", "sports-massage-60");
    }

    @Test
    void bookConfirmMailStaffListCancelAndRebook() {
        LocalDate day = Journeys.weekdayAhead(14);
        JsonNode slots = Journeys.slots(p, "sheffield", "sports-massage-60", day);
        assertThat(slots.size()).as("free slots on " + day).isPositive();
        JsonNode slot = slots.get(0);
        String email = Journeys.uniqueEmail("booker");

        var created = p.post("/api/bookings", Journeys.booking("sheffield", "sports-massage-60", slot, email, null));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String ref = created.body().get("reference").asText();
        String token = created.body().get("manageToken").asText();
        assertThat(created.body().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(created.header("Location")).contains(ref);

        // The same slot cannot be taken twice.
        var again = p.post("/api/bookings", Journeys.booking("sheffield", "sports-massage-60", slot,
                Journeys.uniqueEmail("second"), null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("code").asText()).isEqualTo("slot_unavailable");

        // booking-service → Kafka → notification-service → SMTP: one confirmation with an .ics.
        await().atMost(Duration.ofSeconds(30)).until(() -> p.mail(email).size() >= 1);
        JsonNode mail = p.mail(email).get(0);
        assertThat(mail.toString()).contains("BEGIN:VCALENDAR").contains(ref);

        var staffList = p.get("/api/staff/bookings?locationId=sheffield&date=" + day,
                "Authorization", p.token("staff@clinic.test"));
        assertThat(staffList.status()).isEqualTo(200);
        assertThat(staffList.body().toString()).contains(ref);

        var notifications = p.get("/api/staff/notifications?recipient=" + email + "&limit=10",
                "Authorization", p.token("staff@clinic.test"));
        assertThat(notifications.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> p.get("/api/staff/notifications?recipient=" + email,
                "Authorization", p.token("staff@clinic.test")).body().toString().contains("SENT"));

        assertThat(p.get("/api/bookings/" + ref).status()).isEqualTo(404);
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", "wrong").status()).isEqualTo(404);
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", token).status()).isEqualTo(200);

        var cancelled = p.post("/api/bookings/" + ref + "/cancel", Map.of(), "X-Manage-Token", token);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");

        var rebooked = p.post("/api/bookings", Journeys.booking("sheffield", "sports-massage-60", slot,
                Journeys.uniqueEmail("rebook"), null));
        assertThat(rebooked.status()).isEqualTo(201);
    }

    @Test
    void badInputGetsAProblemNamingTheField() {
        var r = p.post("/api/bookings", Map.of("locationId", "sheffield", "treatmentId", "sports-massage-60",
                "startsAt", "2030-01-01T10:00:00Z",
                "customer", Map.of("name", "Sam", "email", "not-an-email", "phone", "07700 100123")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.body().get("violations").toString()).contains("customer.email");

        var malformed = p.post("/api/bookings", "{\"locationId\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("code").asText()).isEqualTo("malformed_request");
    }

    private static java.util.List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").asText()).toList();
    }
}
