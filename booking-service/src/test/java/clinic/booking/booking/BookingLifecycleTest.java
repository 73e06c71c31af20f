package clinic.booking.booking;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingEvents;
import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Create, view, cancel, reschedule, staff list and Idempotency-Key, through HTTP, checked in SQL and on Kafka. */
class BookingLifecycleTest extends BookingTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode create(Map<String, Object> body) {
        return post("/api/bookings", body).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long confirmedAt(String therapistId, String startsAt) {
        return sql("select count(*) from booking where status = 'CONFIRMED' and therapist_id = '" + therapistId
                + "' and starts_at = '" + startsAt + "'");
    }

    @Test
    void createReturnsTheContractFieldsAndTheBookingCanBeReadWithItsToken() {
        var result = post("/api/bookings", booking("sheffield", "sports-massage-45", "sheffield-amy",
                Instant.parse("2027-02-03T10:00:00Z"))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult();
        JsonNode b = result.getResponseBody();
        String reference = b.get("reference").asText();
        assertThat(reference).matches("BK-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}");
        assertThat(result.getResponseHeaders().getLocation()).hasToString("/api/bookings/" + reference);
        assertThat(b.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(b.get("therapistId").asText()).isEqualTo("sheffield-amy");
        assertThat(b.get("startsAt").asText()).isEqualTo("2027-02-03T10:00:00Z");
        assertThat(b.get("endsAt").asText()).isEqualTo("2027-02-03T10:45:00Z");
        assertThat(b.get("pricePence").asLong()).isEqualTo(4500);
        assertThat(b.get("discountPence").asLong()).isZero();
        assertThat(b.get("totalPence").asLong()).isEqualTo(4500);
        assertThat(b.get("currency").asText()).isEqualTo("GBP");
        String token = b.get("manageToken").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{22}");
        assertThat(b.get("customer").get("phone").asText()).isEqualTo("+447911123456");

        // stored: the token only as its SHA-256, the buffer in the blocked range
        assertThat(sql("select count(*) from booking where reference = '" + reference
                + "' and manage_token_hash = sha256(convert_to('" + token + "', 'UTF8'))"
                + " and blocked_until = ends_at + interval '15 minutes'")).isEqualTo(1);

        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", token).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.reference").isEqualTo(reference)
                .jsonPath("$.status").isEqualTo("CONFIRMED")
                .jsonPath("$.manageToken").doesNotExist();
        http.get().uri("/api/bookings/" + reference).header("X-Manage-Token", token + "x").exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        http.get().uri("/api/bookings/" + reference).exchange().expectStatus().isNotFound();
        http.get().uri("/api/bookings/BK-ZZZZZZ").header("X-Manage-Token", token).exchange().expectStatus().isNotFound();

        // ids only on the topic: neither the token nor the customer (docs/adr/0007)
        ConsumerRecord<String, String> event = BookingEvents.await(reference, "booking.confirmed.v2");
        assertThat(event.value()).contains("\"therapistName\":\"Amy Walker\"")
                .doesNotContain(token, "manageToken", "customer", "+447911123456");
    }

    @Test
    void validationProblemsNameTheFields() {
        Map<String, Object> body = booking("sheffield", "sports-massage-30", null, Instant.parse("2027-02-03T11:00:00Z"));
        body.put("customer", Map.of("name", "S", "email", "not-an-email", "phone", "12345"));
        post("/api/bookings", body).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[*].field").value(fields -> assertThat((Iterable<String>) fields)
                        .containsExactlyInAnyOrder("customer.name", "customer.email", "customer.phone"));

        assertField(booking("sheffield", "sports-massage-30", null, Instant.parse("2027-02-03T11:05:00Z")), "startsAt");
        assertField(booking("atlantis", "sports-massage-30", null, Instant.parse("2027-02-03T11:00:00Z")), "locationId");
        assertField(booking("sheffield", "hot-stones", null, Instant.parse("2027-02-03T11:00:00Z")), "treatmentId");
        assertField(booking("sheffield", "sports-massage-30", "nobody", Instant.parse("2027-02-03T11:00:00Z")), "therapistId");
        // Amy does not give physiotherapy assessments
        assertField(booking("sheffield", "physio-assessment", "sheffield-amy", Instant.parse("2027-02-03T11:00:00Z")),
                "therapistId");
        Map<String, Object> noCustomer = booking("sheffield", "sports-massage-30", null, Instant.parse("2027-02-03T11:00:00Z"));
        noCustomer.remove("customer");
        assertField(noCustomer, "customer");
        Map<String, Object> badTime = booking("sheffield", "sports-massage-30", null, Instant.parse("2027-02-03T11:00:00Z"));
        badTime.put("startsAt", "tomorrow");
        assertField(badTime, "startsAt");

        http.post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"locationId\":")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        assertThat(sql("select count(*) from booking where starts_at = '2027-02-03T11:00:00Z'")).isZero();
    }

    private void assertField(Map<String, Object> body, String field) {
        post("/api/bookings", body).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo(field);
    }

    @Test
    void aSlotOutsideAvailabilityIsUnavailable() {
        // Sunday: closed
        post("/api/bookings", booking("sheffield", "sports-massage-30", "sheffield-amy", Instant.parse("2027-02-07T10:00:00Z")))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
        // after hours, in lunch, and inside the minimum notice
        post("/api/bookings", booking("sheffield", "sports-massage-30", "sheffield-amy", Instant.parse("2027-02-03T17:00:00Z")))
                .expectStatus().isEqualTo(409);
        post("/api/bookings", booking("sheffield", "sports-massage-30", "sheffield-amy", Instant.parse("2027-02-03T13:00:00Z")))
                .expectStatus().isEqualTo(409);
        post("/api/bookings", booking("sheffield", "sports-massage-30", "sheffield-amy", Instant.parse("2027-01-20T09:45:00Z")))
                .expectStatus().isEqualTo(409);
        post("/api/bookings", booking("sheffield", "sports-massage-30", "sheffield-amy", Instant.parse("2027-01-20T10:00:00Z")))
                .expectStatus().isCreated();
    }

    @Test
    void withoutATherapistEachFreeTherapistIsAssignedInTurnThenTheSlotIsGone() {
        Instant at = Instant.parse("2027-02-04T14:00:00Z");
        JsonNode first = create(booking("chesterfield", "sports-massage-30", null, at));
        JsonNode second = create(booking("chesterfield", "sports-massage-30", null, at));
        JsonNode third = create(booking("chesterfield", "sports-massage-30", null, at));
        assertThat(Set.of(first.get("therapistId").asText(), second.get("therapistId").asText(),
                third.get("therapistId").asText()))
                .containsExactlyInAnyOrder("chesterfield-jo", "chesterfield-kai", "chesterfield-lena");
        assertThat(first.get("therapistId").asText()).isEqualTo("chesterfield-jo"); // stable order
        post("/api/bookings", booking("chesterfield", "sports-massage-30", null, at))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
    }

    @Test
    void cancellingFreesTheSlotAndPublishesTheEvent() {
        Instant at = Instant.parse("2027-02-05T09:00:00Z");
        JsonNode b = create(booking("doncaster", "sports-massage-60", "doncaster-dan", at));
        String reference = b.get("reference").asText();
        post("/api/bookings", booking("doncaster", "sports-massage-60", "doncaster-dan", at)).expectStatus().isEqualTo(409);

        http.post().uri("/api/bookings/" + reference + "/cancel").header("X-Manage-Token", "wrong").exchange()
                .expectStatus().isNotFound();
        http.post().uri("/api/bookings/" + reference + "/cancel").header("X-Manage-Token", b.get("manageToken").asText())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
        // cancelling again is harmless and publishes nothing new
        http.post().uri("/api/bookings/" + reference + "/cancel").header("X-Manage-Token", b.get("manageToken").asText())
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");

        JsonNode again = create(booking("doncaster", "sports-massage-60", "doncaster-dan", at));
        assertThat(again.get("reference").asText()).isNotEqualTo(reference);
        assertThat(confirmedAt("doncaster-dan", "2027-02-05T09:00:00Z")).isEqualTo(1);

        ConsumerRecord<String, String> event = BookingEvents.await(reference, "booking.cancelled.v2");
        assertThat(event.value()).contains("\"cancelledBy\":\"CUSTOMER\"", "\"reference\":\"" + reference + "\"");
        assertThat(sql("select count(*) from outbox_event where event_key = '" + reference
                + "' and event_type = 'booking.cancelled.v2'")).isEqualTo(1);
    }

    @Test
    void customersCannotCancelInsideTwentyFourHoursButStaffCan() {
        Instant at = Instant.parse("2027-02-08T15:00:00Z");
        JsonNode b = create(booking("rotherham", "sports-massage-30", "rotherham-faye", at));
        String reference = b.get("reference").asText();

        CLOCK.setTo(Instant.parse("2027-02-07T15:00:01Z"));
        http.post().uri("/api/bookings/" + reference + "/cancel").header("X-Manage-Token", b.get("manageToken").asText())
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("too_late_to_cancel");

        http.post().uri("/api/staff/bookings/" + reference + "/cancel").exchange().expectStatus().isUnauthorized();
        String customerToken = TOKENS.issue("someone", Set.of("MARKETING"), java.time.Duration.ofMinutes(5));
        http.post().uri("/api/staff/bookings/" + reference + "/cancel").headers(h -> h.setBearerAuth(customerToken))
                .exchange().expectStatus().isForbidden();
        http.post().uri("/api/staff/bookings/" + reference + "/cancel").headers(h -> h.setBearerAuth(staffToken()))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("CANCELLED")
                .jsonPath("$.cancelledBy").isEqualTo("STAFF");
        http.post().uri("/api/staff/bookings/BK-ZZZZZZ/cancel").headers(h -> h.setBearerAuth(staffToken()))
                .exchange().expectStatus().isNotFound();
        assertThat(BookingEvents.await(reference, "booking.cancelled.v2").value()).contains("\"cancelledBy\":\"STAFF\"");
    }

    @Test
    void theStaffListShowsTheLocalDaysBookings() {
        JsonNode early = create(booking("hathersage", "sports-massage-30", "hathersage-ian", Instant.parse("2027-02-09T09:00:00Z")));
        JsonNode late = create(booking("hathersage", "sports-massage-30", "hathersage-ian", Instant.parse("2027-02-09T16:30:00Z")));
        create(booking("hathersage", "sports-massage-30", "hathersage-ian", Instant.parse("2027-02-10T09:00:00Z")));

        http.get().uri("/api/staff/bookings?locationId=hathersage&date=2027-02-09")
                .headers(h -> h.setBearerAuth(staffToken())).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].reference").isEqualTo(early.get("reference").asText())
                .jsonPath("$[1].reference").isEqualTo(late.get("reference").asText())
                .jsonPath("$[0].customer.email").isEqualTo("sam@example.com")
                .jsonPath("$[0].manageToken").doesNotExist();
        http.get().uri("/api/staff/bookings?locationId=hathersage&date=2027-02-09").exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/staff/bookings?locationId=atlantis&date=2027-02-09")
                .headers(h -> h.setBearerAuth(staffToken())).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.violations[0].field").isEqualTo("locationId");
    }

    @Test
    void rescheduleTakesTheNewSlotAndFreesTheOldOneInOneStep() {
        JsonNode b = create(booking("sheffield", "sports-massage-60", "sheffield-ben", Instant.parse("2027-02-12T10:00:00Z")));
        String reference = b.get("reference").asText();
        String token = b.get("manageToken").asText();
        JsonNode blocker = create(booking("sheffield", "sports-massage-60", "sheffield-ben", Instant.parse("2027-02-12T14:00:00Z")));

        // onto a taken slot: refused, nothing changes, and counted as a conflict
        var conflicts = meters.get(BookingConflicts.METRIC).tag("operation", "reschedule").tag("reason", "not_available").counter();
        double before = conflicts.count();
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-12T14:30:00Z", "therapistId", "sheffield-ben"))
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("slot_unavailable");
        assertThat(conflicts.count()).isEqualTo(before + 1);
        // without a therapist the current one is preferred; half an hour later overlaps its own old
        // time, which does not count against it
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-12T10:30:00Z"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.startsAt").isEqualTo("2027-02-12T10:30:00Z")
                .jsonPath("$.therapistId").isEqualTo("sheffield-ben");
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("startsAt", "2027-02-15T11:00:00+00:00", "therapistId", "sheffield-amy"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.startsAt").isEqualTo("2027-02-15T11:00:00Z")
                .jsonPath("$.endsAt").isEqualTo("2027-02-15T12:00:00Z")
                .jsonPath("$.therapistId").isEqualTo("sheffield-amy");

        // the old slot is free again for anyone
        create(booking("sheffield", "sports-massage-60", "sheffield-ben", Instant.parse("2027-02-12T10:30:00Z")));
        assertThat(sql("select count(*) from booking where reference = '" + reference
                + "' and status = 'CONFIRMED' and therapist_id = 'sheffield-amy'")).isEqualTo(1);
        assertThat(blocker.get("reference").asText()).isNotEqualTo(reference);

        String event = BookingEvents.await(reference, "booking.rescheduled.v2").value();
        assertThat(event).contains("\"previousStartsAt\":\"2027-02-12T10:00:00Z\"", "\"startsAt\":\"2027-02-12T10:30:00Z\"");

        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", "nope")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-16T11:00:00Z"))
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-16T11:10:00Z"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.violations[0].field").isEqualTo("startsAt");
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() throws Exception {
        Map<String, Object> body = booking("doncaster", "sports-massage-45", "doncaster-erin", Instant.parse("2027-02-16T11:00:00Z"));
        String key = "idem-" + java.util.UUID.randomUUID();
        String first = http.post().uri("/api/bookings").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        var replay = http.post().uri("/api/bookings").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody(String.class).returnResult();
        assertThat(JSON.readTree(replay.getResponseBody())).isEqualTo(JSON.readTree(first));
        String reference = JSON.readTree(first).get("reference").asText();
        assertThat(replay.getResponseHeaders().getLocation()).hasToString("/api/bookings/" + reference);
        assertThat(sql("select count(*) from booking where therapist_id = 'doncaster-erin' and starts_at = '2027-02-16T11:00:00Z'"))
                .isEqualTo(1);
        // the stored answer holds the manage token, but not readably
        String token = JSON.readTree(first).get("manageToken").asText();
        assertThat(sql("select count(*) from idempotency_key where position(convert_to('" + token
                + "', 'UTF8') in response_body) > 0")).isZero();

        Map<String, Object> other = booking("doncaster", "sports-massage-45", "doncaster-erin", Instant.parse("2027-02-16T13:00:00Z"));
        http.post().uri("/api/bookings").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(other).exchange().expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("idempotency_key_reused");
        assertThat(sql("select count(*) from booking where therapist_id = 'doncaster-erin' and starts_at = '2027-02-16T13:00:00Z'"))
                .isZero();
        // the same booking written with another offset is the same request
        Map<String, Object> sameInstant = booking("doncaster", "sports-massage-45", "doncaster-erin", Instant.parse("2027-02-16T11:00:00Z"));
        sameInstant.put("startsAt", "2027-02-16T12:00:00+01:00");
        http.post().uri("/api/bookings").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(sameInstant).exchange().expectStatus().isCreated().expectBody()
                .jsonPath("$.reference").isEqualTo(reference);
    }
}
