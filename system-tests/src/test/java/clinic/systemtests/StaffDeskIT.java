package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 through the gateway: a phone call handled at the staff desk. A callback arrives, staff
 * claim it and book for the caller with its id; the callback shows COMPLETED/BOOKED with the
 * reference by itself and the customer gets one confirmation mail; staff move the booking (the
 * customer is told); two staff move it at once (one 200, one 409); after its start (booking-service's
 * test clock moved ahead) it is marked NO_SHOW, and analytics counts one no-show that day. No record
 * on any topic holds the caller's name or address.
 */
class StaffDeskIT {
    static Platform p;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void aCallerIsBookedMovedAndMarkedNoShowAtTheDesk() throws Exception {
        String staff = p.token("staff@clinic.test");
        String admin = p.token("admin@clinic.test");
        String email = Journeys.uniqueEmail("desk-caller");
        String name = "Desk Caller " + System.nanoTime();

        // A callback arrives; staff claim it.
        var requested = p.post("/api/callbacks", Journeys.callback(name, email, "sheffield"));
        assertThat(requested.status()).isEqualTo(202);
        String callbackId = requested.body().get("id").asText();
        assertThat(p.post("/api/staff/callbacks/" + callbackId + "/claim", Map.of(), "Authorization", staff).status())
                .isEqualTo(200);

        // Four slots of one therapist, an hour or more apart: book, move, and two competing moves.
        LocalDate day = Journeys.weekdayAhead(16);
        List<JsonNode> slots = spacedSlots(Journeys.slots(p, "sheffield", "sports-massage-30", day), 4);
        String therapist = slots.get(0).get("therapistId").asText();

        Map<String, Object> body = new LinkedHashMap<>(Journeys.booking("sheffield", "sports-massage-30", slots.get(0),
                email, null));
        body.put("customer", Map.of("name", name, "email", email, "phone", "07700 100123"));
        body.put("callbackId", callbackId);
        var booked = p.post("/api/staff/bookings", body, "Authorization", staff);
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        String ref = booked.body().get("reference").asText();

        // callback-service completed the callback from the booking's event: no second call from the desk.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode task = p.get("/api/staff/callbacks/" + callbackId, "Authorization", staff).body();
            return "COMPLETED".equals(task.path("status").asText()) && ref.equals(task.path("bookingReference").asText());
        });
        JsonNode task = p.get("/api/staff/callbacks/" + callbackId, "Authorization", staff).body();
        assertThat(task.get("outcome").asText()).isEqualTo("BOOKED");

        // Exactly one confirmation mail (the callback's own receipt is another template).
        await().atMost(Duration.ofSeconds(30)).until(() -> templates(staff, email).contains("booking-confirmed"));
        assertThat(templates(staff, email).stream().filter("booking-confirmed"::equals)).hasSize(1);
        assertThat(p.mail(email).toString()).contains(ref);
        // The mail names the caller, yet no event does: booking.confirmed.v2 carries the desk's
        // bookedBy and callbackId and no personal data (docs/adr/0007).
        assertThat(p.mail(email).toString()).contains(name);
        assertThat(PrivacyIT.topicsMentioning(p, List.of(email, name))).as("records on Kafka naming the caller").isEmpty();

        // Staff move it; the customer gets the rescheduled mail; the day list names the staff user.
        var moved = p.post("/api/staff/bookings/" + ref + "/reschedule",
                Map.of("startsAt", slots.get(1).get("startsAt").asText(), "therapistId", therapist),
                "Authorization", staff);
        assertThat(moved.status()).as(String.valueOf(moved.body())).isEqualTo(200);
        assertThat(moved.body().get("rescheduledBy").asText()).isEqualTo("staff@clinic.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> templates(staff, email).contains("booking-rescheduled"));

        // Two staff move it at once to different slots. Holding the row lock until both wait on it
        // makes "at once" certain: both have read the same state, one lands, one is told it changed.
        List<Integer> statuses = new ArrayList<>();
        try (Connection db = p.db("booking")) {
            db.setAutoCommit(false);
            try (PreparedStatement lock = db.prepareStatement("select id from booking where reference = ? for update")) {
                lock.setString(1, ref);
                lock.executeQuery().close();
            }
            long waitingBefore = waitingOnLocks();
            List<CompletableFuture<Integer>> moves = new ArrayList<>();
            for (JsonNode slot : List.of(slots.get(2), slots.get(3))) {
                String token = slot == slots.get(2) ? staff : admin;
                moves.add(CompletableFuture.supplyAsync(() -> p.post("/api/staff/bookings/" + ref + "/reschedule",
                        Map.of("startsAt", slot.get("startsAt").asText(), "therapistId", therapist),
                        "Authorization", token).status()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLocks() >= waitingBefore + 2);
            db.rollback();
            for (CompletableFuture<Integer> m : moves) statuses.add(m.get(60, TimeUnit.SECONDS));
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);

        // After the appointment's start (booking-service's clock moved ahead): NO_SHOW.
        JsonNode current = dayList(staff, day, ref);
        Instant startsAt = Instant.parse(current.get("startsAt").asText());
        var early = p.post("/api/staff/bookings/" + ref + "/attendance", Map.of("status", "NO_SHOW"),
                "Authorization", staff);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.body().get("code").asText()).isEqualTo("not_started");
        try {
            moveBookingClock(admin, Duration.between(Instant.now(), startsAt).plusMinutes(5));
            var noShow = p.post("/api/staff/bookings/" + ref + "/attendance", Map.of("status", "NO_SHOW"),
                    "Authorization", staff);
            assertThat(noShow.status()).as(String.valueOf(noShow.body())).isEqualTo(200);
            assertThat(noShow.body().get("attendance").asText()).isEqualTo("NO_SHOW");
        } finally {
            resetBookingClock(admin);
        }

        String marketing = p.token("marketing@clinic.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> p.get("/api/analytics/summary?from=" + day + "&to=" + day,
                "Authorization", marketing).body().at("/bookings/noShows").asLong() == 1);
        JsonNode summary = p.get("/api/analytics/summary?from=" + day + "&to=" + day, "Authorization", marketing).body();
        assertThat(summary.at("/bookings/noShowsByLocation/sheffield").asLong()).isEqualTo(1);
    }

    /** {@code n} slots of the first slot's therapist, each starting at least an hour after the previous one. */
    private static List<JsonNode> spacedSlots(JsonNode all, int n) {
        List<JsonNode> picked = new ArrayList<>();
        String therapist = null;
        Instant last = null;
        for (JsonNode s : all) {
            if (therapist != null && !therapist.equals(s.get("therapistId").asText())) continue;
            Instant at = Instant.parse(s.get("startsAt").asText());
            if (last != null && at.isBefore(last.plus(Duration.ofHours(1)))) continue;
            therapist = s.get("therapistId").asText();
            picked.add(s);
            last = at;
            if (picked.size() == n) return picked;
        }
        throw new AssertionError("fewer than " + n + " spaced slots: " + all);
    }

    private static List<String> templates(String staff, String email) {
        JsonNode log = p.get("/api/staff/notifications?recipient=" + email + "&limit=50", "Authorization", staff).body();
        List<String> out = new ArrayList<>();
        log.forEach(n -> out.add(n.get("template").asText()));
        return out;
    }

    private static JsonNode dayList(String staff, LocalDate day, String ref) {
        for (JsonNode b : p.get("/api/staff/bookings?locationId=sheffield&date=" + day, "Authorization", staff).body()) {
            if (ref.equals(b.get("reference").asText())) return b;
        }
        throw new AssertionError(ref + " not in the day list of " + day);
    }

    private static long waitingOnLocks() throws Exception {
        try (Connection db = p.db("booking");
             ResultSet rs = db.createStatement().executeQuery(
                     "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = 'booking'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** booking-service's own port (the gateway routes no /internal path); the profile comes from Platform. */
    private static String bookingService() {
        return "http://127.0.0.1:" + (8081 + p.offset);
    }

    private static void moveBookingClock(String admin, Duration ahead) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(bookingService() + "/internal/test-clock"))
                .header("Authorization", admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"offsetSeconds\":" + Math.max(0, ahead.toSeconds()) + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void resetBookingClock(String admin) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(bookingService() + "/internal/test-clock"))
                .header("Authorization", admin).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
