package clinic.booking.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.booking.support.BookingEvents;
import clinic.booking.support.BookingTestBase;
import clinic.contracts.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The staff desk's writes (book for a caller, move, cancel, attendance) through HTTP, checked in
 * SQL, on Kafka and in the audit log. Each test works on a therapist of its own.
 */
class StaffDeskTest extends BookingTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired ConnectionFactory connections;

    private WebTestClient.ResponseSpec staff(HttpMethod method, String path, Object body) {
        return staff(method, path, body, staffToken());
    }

    private WebTestClient.ResponseSpec staff(HttpMethod method, String path, Object body, String token) {
        var spec = http.method(method).uri(path).header("Authorization", "Bearer " + token);
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String otherStaffToken() {
        return TOKENS.issue("reception@clinic.test", Set.of("STAFF"), Duration.ofHours(1));
    }

    private JsonNode staffBook(Map<String, Object> body) {
        return staff(HttpMethod.POST, "/api/staff/bookings", body).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private String one(String query) {
        return db.sql(query).map(r -> r.get(0, String.class)).one().block();
    }

    @Test
    void staffBookInsideTheMinimumNoticeButNeverInThePastAndTheBookingNamesThem() {
        createTherapist("desk-amy", "sheffield", "sports-massage-30");
        // Now is 08:00 on a Wednesday; 09:00 is inside the 2 h notice customers must give.
        Instant soon = Instant.parse("2027-01-20T09:00:00Z");
        post("/api/bookings", booking("sheffield", "sports-massage-30", "desk-amy", soon))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
        Map<String, Object> body = booking("sheffield", "sports-massage-30", "desk-amy", soon);
        body.put("callbackId", "8D1F2C3B-4A5E-4F60-9B7C-1D2E3F4A5B6C");
        JsonNode b = staffBook(body);
        String reference = b.get("reference").asText();
        assertThat(b.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(b.get("manageToken").asText()).isNotBlank();
        assertThat(one("select booked_by from booking where reference = '" + reference + "'"))
                .isEqualTo("staff@clinic.test");

        JsonNode event = read(BookingEvents.await(reference, "booking.confirmed.v2").value());
        assertThat(event.get("bookedBy").asText()).isEqualTo("staff@clinic.test");
        assertThat(event.get("callbackId").asText()).isEqualTo("8d1f2c3b-4a5e-4f60-9b7c-1d2e3f4a5b6c");
        // ids only (docs/adr/0007): the caller's details and the manage token stay in booking-service
        assertThat(event.has("customer")).isFalse();
        assertThat(event.has("manageToken")).isFalse();
        assertThat(one("select details from audit_entry where action = 'booking.created' and target = 'booking/"
                + reference + "'")).contains("8d1f2c3b-4a5e-4f60-9b7c-1d2e3f4a5b6c").doesNotContain("Sam", "example.com");

        // In the past (07:45 < now) and a slot another caller has: refused, nothing written.
        staff(HttpMethod.POST, "/api/staff/bookings",
                booking("sheffield", "sports-massage-30", "desk-amy", Instant.parse("2027-01-20T07:45:00Z")))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.violations[0].field").isEqualTo("startsAt");
        staff(HttpMethod.POST, "/api/staff/bookings", booking("sheffield", "sports-massage-30", "desk-amy", soon))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
        assertThat(sql("select count(*) from booking where therapist_id = 'desk-amy'")).isEqualTo(1);

        // The day list shows who booked it; the customer's own view does not.
        staff(HttpMethod.GET, "/api/staff/bookings?locationId=sheffield&date=2027-01-20", null).expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.reference == '" + reference + "')].bookedBy").isEqualTo("staff@clinic.test");
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", b.get("manageToken").asText()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.bookedBy").doesNotExist();
    }

    @Test
    void staffIdempotencyKeyReplaysAndPromoCodesWork() {
        createTherapist("desk-ida", "sheffield", "sports-massage-60");
        Map<String, Object> body = booking("sheffield", "sports-massage-60", "desk-ida",
                Instant.parse("2027-02-15T10:00:00Z"));
        body.put("promoCode", "FEB10");
        JsonNode first = http.post().uri("/api/staff/bookings").header("Authorization", "Bearer " + staffToken())
                .header("Idempotency-Key", "desk-key-1").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode again = http.post().uri("/api/staff/bookings").header("Authorization", "Bearer " + staffToken())
                .header("Idempotency-Key", "desk-key-1").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(again.get("reference")).isEqualTo(first.get("reference"));
        assertThat(first.get("discountPence").asLong()).isPositive();
        assertThat(sql("select count(*) from booking where therapist_id = 'desk-ida'")).isEqualTo(1);
    }

    @Test
    void staffMoveAndCancelRecordTheUserAndTheCustomerIsToldByTheUsualEvents() {
        createTherapist("desk-bea", "sheffield", "sports-massage-30");
        String reference = staffBook(booking("sheffield", "sports-massage-30", "desk-bea",
                Instant.parse("2027-01-21T10:00:00Z"))).get("reference").asText();
        // Tomorrow 09:00 is 25 h ahead: fine for anyone; today 09:30 only for staff.
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/reschedule",
                Map.of("startsAt", "2027-01-20T09:30:00Z"), otherStaffToken()).expectStatus().isOk().expectBody()
                .jsonPath("$.startsAt").isEqualTo("2027-01-20T09:30:00Z")
                .jsonPath("$.rescheduledBy").isEqualTo("reception@clinic.test");
        assertThat(BookingEvents.await(reference, "booking.rescheduled.v2").value()).contains("2027-01-20T09:30:00Z");
        assertThat(one("select details from audit_entry where action = 'booking.rescheduled' and target = 'booking/"
                + reference + "' and actor = 'reception@clinic.test'")).contains("2027-01-21T10:00:00Z");

        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/cancel", Map.of("reason", "Caller is unwell"))
                .expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CANCELLED")
                .jsonPath("$.cancelledBy").isEqualTo("STAFF")
                .jsonPath("$.cancelledByUser").isEqualTo("staff@clinic.test");
        assertThat(BookingEvents.await(reference, "booking.cancelled.v2").value()).contains("\"cancelledBy\":\"STAFF\"");
        assertThat(one("select cancel_reason from booking where reference = '" + reference + "'"))
                .isEqualTo("Caller is unwell");
        // The audit keeps the reason's length only: it may hold what the caller said.
        assertThat(one("select details from audit_entry where action = 'booking.cancelled' and target = 'booking/"
                + reference + "'")).contains("\"reasonLength\":16").doesNotContain("unwell");
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/reschedule",
                Map.of("startsAt", "2027-01-22T09:30:00Z")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("booking_cancelled");
        staff(HttpMethod.POST, "/api/staff/bookings/BK-ZZZZZZ/reschedule", Map.of("startsAt", "2027-01-22T09:30:00Z"))
                .expectStatus().isNotFound();
    }

    /**
     * Two staff move one booking to different slots at once. The test holds the booking's row lock
     * until both requests wait on it, so both have read the same state and passed every check:
     * then exactly one move lands and the other is told the booking changed.
     */
    @Test
    void twoStaffMovingOneBookingAtOnceOneWinsOneGets409() throws Exception {
        createTherapist("desk-cat", "sheffield", "sports-massage-30");
        String reference = staffBook(booking("sheffield", "sports-massage-30", "desk-cat",
                Instant.parse("2027-01-25T10:00:00Z"))).get("reference").asText();
        Connection lock = Mono.from(connections.create()).block();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Mono.from(lock.beginTransaction()).block();
            Flux.from(lock.createStatement("select id from booking where reference = $1 for update")
                    .bind("$1", reference).execute()).flatMap(r -> r.map((row, m) -> 1)).blockLast();
            long waitingBefore = waitingOnLocks();
            List<CompletableFuture<Integer>> moves = new ArrayList<>();
            for (String to : List.of("2027-01-25T11:00:00Z", "2027-01-25T14:00:00Z")) {
                moves.add(CompletableFuture.supplyAsync(() -> staff(HttpMethod.POST,
                        "/api/staff/bookings/" + reference + "/reschedule", Map.of("startsAt", to))
                        .returnResult(String.class).getStatus().value(), pool));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingOnLocks() >= waitingBefore + 2);
            Mono.from(lock.rollbackTransaction()).block();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> m : moves) statuses.add(m.get(30, TimeUnit.SECONDS));
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        } finally {
            Mono.from(lock.close()).block();
            pool.shutdownNow();
        }
        assertThat(sql("select count(*) from booking where reference = '" + reference
                + "' and starts_at in ('2027-01-25T11:00:00Z', '2027-01-25T14:00:00Z')")).isEqualTo(1);
        assertThat(sql("select count(*) from outbox_event where event_key = '" + reference
                + "' and event_type = 'booking.rescheduled.v2'")).isEqualTo(1);
        assertThat(sql("select count(*) from audit_entry where action = 'booking.rescheduled' and target = 'booking/"
                + reference + "'")).isEqualTo(1);
    }

    private long waitingOnLocks() {
        return sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
    }

    @Test
    void twoCallersForOneSlotOneWins() {
        createTherapist("desk-dan", "sheffield", "sports-massage-30");
        Instant slot = Instant.parse("2027-01-26T10:00:00Z");
        staffBook(booking("sheffield", "sports-massage-30", "desk-dan", slot));
        Map<String, Object> second = booking("sheffield", "sports-massage-30", "desk-dan", slot);
        second.put("customer", Map.of("name", "Jo Other", "email", "jo@example.com", "phone", "07911 123457"));
        staff(HttpMethod.POST, "/api/staff/bookings", second, otherStaffToken()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
        assertThat(sql("select count(*) from booking where therapist_id = 'desk-dan'")).isEqualTo(1);
    }

    @Test
    void attendanceOnlyOnceStartedAndPublishedWithoutPersonalData() throws Exception {
        createTherapist("desk-eve", "sheffield", "sports-massage-30");
        String reference = staffBook(booking("sheffield", "sports-massage-30", "desk-eve",
                Instant.parse("2027-01-20T11:00:00Z"))).get("reference").asText();
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "NO_SHOW"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("not_started");
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "MAYBE"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.violations[0].field").isEqualTo("status");
        assertThat(sql("select count(*) from booking where reference = '" + reference + "' and attendance is not null"))
                .isZero();

        CLOCK.setTo(Instant.parse("2027-01-20T11:10:00Z"));
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "NO_SHOW"))
                .expectStatus().isOk().expectBody().jsonPath("$.attendance").isEqualTo("NO_SHOW");
        // Again: a no-op, nothing published twice.
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "NO_SHOW"))
                .expectStatus().isOk();
        String noShow = BookingEvents.await(reference, "booking.no_show.v1").value();
        assertSameFields(noShow, "booking.no_show.v1");
        assertThat(noShow).doesNotContain("Sam", "example.com", "+44");
        assertThat(read(noShow).get("recordedBy").asText()).isEqualTo("staff@clinic.test");
        // A correction is allowed and published as the other event.
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "ATTENDED"))
                .expectStatus().isOk().expectBody().jsonPath("$.attendance").isEqualTo("ATTENDED");
        assertSameFields(BookingEvents.await(reference, "booking.attended.v1").value(), "booking.attended.v1");
        assertThat(sql("select count(*) from outbox_event where event_key = '" + reference
                + "' and event_type in ('booking.no_show.v1', 'booking.attended.v1')")).isEqualTo(2);
        assertThat(sql("select count(*) from audit_entry where action = 'booking.attendance_recorded' and target = 'booking/"
                + reference + "'")).isEqualTo(2);

        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/cancel", null).expectStatus().isOk();
        staff(HttpMethod.POST, "/api/staff/bookings/" + reference + "/attendance", Map.of("status", "NO_SHOW"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("booking_cancelled");
        staff(HttpMethod.POST, "/api/staff/bookings/BK-ZZZZZZ/attendance", Map.of("status", "NO_SHOW"))
                .expectStatus().isNotFound();
    }

    @Test
    void staffWritesNeedAStaffToken() {
        post("/api/staff/bookings", booking("sheffield", "sports-massage-30", null, Instant.parse("2027-02-01T10:00:00Z")))
                .expectStatus().isUnauthorized();
        String marketing = TOKENS.issue("marketing@clinic.test", Set.of("MARKETING"), Duration.ofHours(1));
        staff(HttpMethod.POST, "/api/staff/bookings/BK-ZZZZZZ/attendance", Map.of("status", "NO_SHOW"), marketing)
                .expectStatus().isForbidden();
    }

    @Test
    void theStreamShowsChangesOfItsLocationAsTheyCommit() {
        createTherapist("desk-fay", "sheffield", "sports-massage-30");
        Flux<ServerSentEvent<String>> stream = http.get().uri("/api/staff/bookings/stream?locationId=sheffield")
                .header("Authorization", "Bearer " + staffToken()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody();
        List<ServerSentEvent<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var subscription = stream.filter(e -> e.event() != null).subscribe(seen::add);
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                // Book until the stream (subscribed asynchronously) has shown one: a booking made before
                // the subscription existed is, by design, not replayed.
                if (seen.stream().noneMatch(e -> "booking.confirmed".equals(e.event()))) {
                    staff(HttpMethod.POST, "/api/staff/bookings", booking("sheffield", "sports-massage-30", "desk-fay",
                            Instant.parse("2027-01-27T09:00:00Z").plus(Duration.ofMinutes(45L * seen.size()))));
                }
                return seen.stream().anyMatch(e -> "booking.confirmed".equals(e.event()));
            });
            ServerSentEvent<String> e = seen.stream().filter(x -> "booking.confirmed".equals(x.event())).findFirst()
                    .orElseThrow();
            JsonNode data = read(e.data());
            assertThat(data.get("locationId").asText()).isEqualTo("sheffield");
            assertThat(data.get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(e.data()).doesNotContain("Sam", "example.com");
        } finally {
            subscription.dispose();
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameFields(String published, String type) throws Exception {
        Set<String> actual = new TreeSet<>();
        JSON.readTree(published).fieldNames().forEachRemaining(actual::add);
        Set<String> golden = new TreeSet<>();
        JSON.readTree(Fixtures.json(type)).fieldNames().forEachRemaining(golden::add);
        assertThat(actual).as(type).isEqualTo(golden);
    }
}
