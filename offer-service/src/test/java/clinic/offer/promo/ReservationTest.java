package clinic.offer.promo;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.offer.OfferTopics;
import clinic.offer.OfferServiceTestBase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * booking-service's reservation API: exact caps and per-customer limits under concurrency,
 * idempotency by booking id, every refusal, release and expiry. Counts are checked in SQL.
 */
class ReservationTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    private final Instant end = start.plus(Duration.ofDays(30));
    private final Instant appointment = start.plus(Duration.ofDays(3));

    @Autowired ReservationService reservations;
    @Autowired MeterRegistry meters;

    @Test
    void onlyServicesMayReserveAndBadInputIsNamed() {
        var body = reservation("ANY", "a@example.com", appointment);
        web.post().uri("/internal/reservations").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        web.post().uri("/internal/reservations").header("Authorization", "Bearer " + token("STAFF"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        web.post().uri("/internal/reservations/{id}/release", UUID.randomUUID()).header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isForbidden();
        // A user's token is never a service's, not even ADMIN's.
        web.post().uri("/internal/reservations").header("Authorization", "Bearer " + token("ADMIN"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        // A service token issued for another audience does not open offer-service's door.
        String elsewhere = new clinic.testsupport.TestTokens().service("booking-service", "callback-service",
                java.time.Duration.ofMinutes(5));
        web.post().uri("/internal/reservations").header("Authorization", "Bearer " + elsewhere)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isForbidden();
        // HS256 with the secret every service once shared, and alg none: 401.
        for (String bad : java.util.List.of(
                clinic.testsupport.TestTokens.hs256("local-development-signing-key-do-not-use-in-production", "booking-service",
                        java.util.Set.of("SERVICE")),
                clinic.testsupport.TestTokens.unsigned("booking-service", java.util.Set.of("SERVICE")))) {
            web.post().uri("/internal/reservations").header("Authorization", "Bearer " + bad)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }

        var bad = new java.util.LinkedHashMap<>(body);
        bad.remove("bookingId");
        bad.put("customerEmail", "not-an-email");
        bad.put("pricePence", -1);
        var problem = reserve(bad).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(problem).containsEntry("code", "validation_failed");
        assertThat(problem.get("violations").toString()).contains("field=bookingId", "field=customerEmail", "field=pricePence");
    }

    @Test
    void aReservationTakesOnePlaceAndARetryReturnsTheSameReservation() {
        String code = uniqueCode("RES");
        var offer = createOffer(offer(code, start, end));
        var request = reservation(code.toLowerCase(), "Sam@Example.com", appointment);

        var first = reserve(request).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(first).containsEntry("code", code).containsEntry("discountPence", 550).containsEntry("totalPence", 4950)
                .containsEntry("status", "RESERVED").containsEntry("offerId", offer.get("id"))
                .containsEntry("bookingId", request.get("bookingId")).containsKeys("reservationId", "expiresAt");
        assertThat(Instant.parse((String) first.get("expiresAt")))
                .isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(11)));

        // A retry (the first answer was lost): same reservation, nothing counted twice.
        var retry = reserve(request).expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(retry).isEqualTo(first);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(1);
        assertThat(sqlLong("select taken from offer_customer where offer_id = ?::uuid and customer_email = 'sam@example.com'",
                offer.get("id"))).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneBookingMakeOneReservation() throws Exception {
        String code = uniqueCode("IDEM");
        var offer = createOffer(offer(code, start, end));
        var request = reservation(code, "idem@example.com", appointment);
        List<HttpResponse<String>> answers = reserveConcurrently(20, i -> port, i -> request);
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(answers.stream().map(r -> json(r).get("reservationId")).distinct()).hasSize(1);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(1);
        assertThat(sqlLong("select count(*) from reservation where offer_id = ?::uuid", offer.get("id"))).isEqualTo(1);
    }

    @Test
    void twoHundredCustomersRacingForAHundredPlacesGetExactlyAHundred() throws Exception {
        String code = uniqueCode("CAP");
        var body = offer(code, start, end);
        body.put("maxRedemptions", 100);
        var offer = createOffer(body);

        List<HttpResponse<String>> answers = reserveConcurrently(200, i -> port,
                i -> reservation(code, "customer" + i + "@example.com", appointment));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus).containsEntry(200, 100L).containsEntry(422, 100L).hasSize(2);
        assertThat(answers.stream().filter(r -> r.statusCode() == 422).map(r -> json(r).get("code")))
                .containsOnly("promo_code_exhausted");
        // The invariant where it lives: the database.
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(100);
        assertThat(sqlLong("select count(*) from reservation where offer_id = ?::uuid and status = 'RESERVED'",
                offer.get("id"))).isEqualTo(100);
        assertThat(sqlLong("select coalesce(sum(taken), 0) from offer_customer where offer_id = ?::uuid", offer.get("id")))
                .isEqualTo(100);
        System.out.printf("cap test: 200 concurrent reservations, cap 100 -> %s; SQL taken=100%n", byStatus);
    }

    @Test
    void oneCustomerRacingTwentyBookingsGetsExactlyOne() throws Exception {
        String code = uniqueCode("ONE");
        var offer = createOffer(offer(code, start, end));

        // The same person, spelt differently: one customer.
        List<HttpResponse<String>> answers = reserveConcurrently(20, i -> port,
                i -> reservation(code, (i % 2 == 0 ? "Pat@Example.com" : "pat@example.com"), appointment));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus).containsEntry(200, 1L).containsEntry(422, 19L);
        assertThat(answers.stream().filter(r -> r.statusCode() == 422).map(r -> json(r).get("code")))
                .containsOnly("promo_code_already_used");
        assertThat(sqlLong("select count(*) from reservation where offer_id = ?::uuid", offer.get("id"))).isEqualTo(1);
        assertThat(sqlLong("select taken from offer_customer where offer_id = ?::uuid", offer.get("id"))).isEqualTo(1);
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(1);
        System.out.printf("per-customer test: 20 concurrent reservations by one customer, limit 1 -> %s%n", byStatus);
    }

    @Test
    void everyRefusalHasItsCodeInTheContractsOrder() {
        String code = uniqueCode("ERR");
        var body = offer(code, start, end);
        body.put("locationIds", List.of("sheffield"));
        body.put("minimumPricePence", 3000);
        body.put("maxRedemptions", 2);
        body.put("maxRedemptionsPerCustomer", 1);
        createOffer(body);

        refused(reservation("NOPE-" + code, "a@example.com", appointment), "promo_code_unknown");
        refused(reservation(code, "a@example.com", start.minusSeconds(1)), "promo_code_expired");
        refused(reservation(code, "a@example.com", end), "promo_code_expired");
        refused(with(reservation(code, "a@example.com", appointment), "treatmentCategory", "physiotherapy"),
                "promo_code_not_applicable");
        refused(with(reservation(code, "a@example.com", appointment), "locationId", "doncaster"), "promo_code_not_applicable");
        refused(with(reservation(code, "a@example.com", appointment), "pricePence", 2999), "promo_code_not_applicable");

        reserve(reservation(code, "a@example.com", appointment)).expectStatus().isOk();
        refused(reservation(code, "A@example.com", appointment), "promo_code_already_used");
        reserve(reservation(code, "b@example.com", appointment)).expectStatus().isOk();
        refused(reservation(code, "c@example.com", appointment), "promo_code_exhausted");
        // Already used outranks exhausted.
        refused(reservation(code, "a@example.com", appointment), "promo_code_already_used");

        // A booking made after the window closed is too late, even for an appointment inside it.
        clock.setTo(end.plusSeconds(1));
        refused(reservation(code, "d@example.com", appointment), "promo_code_expired");
    }

    @Test
    void aMoveIsRecheckedAgainstTheOffersWindowAndChangesNothing() {
        String code = uniqueCode("MOVE");
        var offer = createOffer(offer(code, start, end));
        var request = reservation(code, "mover@example.com", appointment);
        reserve(request).expectStatus().isOk();
        Object bookingId = request.get("bookingId");

        recheck(bookingId, end.minusSeconds(3600)).expectStatus().isOk()
                .expectBody().jsonPath("$.bookingId").isEqualTo(bookingId).jsonPath("$.code").isEqualTo(code);
        var problem = recheck(bookingId, end).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(problem).containsEntry("code", "promo_code_expired").containsEntry("offerEndsAt", end.toString())
                .containsEntry("offerStartsAt", start.toString()).containsKey("offerLastDay");
        assertThat((String) problem.get("detail")).startsWith("This code is valid for appointments from ");
        recheck(bookingId, start.minusSeconds(1)).expectStatus().isEqualTo(422);
        // Asking changes nothing: the place is still this booking's, counted once.
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isEqualTo(1);

        // Ended early by marketing: a move inside the window keeps the discount; outside, the window is the reason.
        web.post().uri("/api/marketing/offers/{id}/end", offer.get("id")).header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isOk();
        recheck(bookingId, appointment.plusSeconds(3600)).expectStatus().isOk();
        recheck(bookingId, end.plusSeconds(60)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.offerOver").isEqualTo(false)
                .jsonPath("$.detail").value(d -> assertThat((String) d).startsWith("This code is valid for appointments"));

        // No reservation for the booking (or released): 404; only services may ask.
        recheck(java.util.UUID.randomUUID(), appointment).expectStatus().isNotFound();
        web.post().uri("/internal/reservations/{id}/release", bookingId).header("Authorization", "Bearer " + token("SERVICE"))
                .exchange().expectStatus().isOk();
        recheck(bookingId, appointment).expectStatus().isNotFound();
        web.post().uri("/internal/reservations/{id}/recheck", bookingId).header("Authorization", "Bearer " + token("STAFF"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", appointment.toString()))
                .exchange().expectStatus().isForbidden();
        web.post().uri("/internal/reservations/{id}/recheck", bookingId).header("Authorization", "Bearer " + token("SERVICE"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec recheck(Object bookingId, Instant startsAt) {
        return web.post().uri("/internal/reservations/{id}/recheck", bookingId).header("Authorization", "Bearer " + token("SERVICE"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", startsAt.toString())).exchange();
    }

    @Test
    void anEndedOfferIsExpiredForNewReservations() {
        String code = uniqueCode("GONE");
        var offer = createOffer(offer(code, start, end));
        web.post().uri("/api/marketing/offers/{id}/end", offer.get("id")).header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isOk();
        refused(reservation(code, "late@example.com", appointment), "promo_code_expired");
    }

    @Test
    void releasingGivesThePlaceBackOnceAndIsIdempotent() {
        String code = uniqueCode("REL");
        var body = offer(code, start, end);
        body.put("maxRedemptions", 1);
        var offer = createOffer(body);
        var request = reservation(code, "rel@example.com", appointment);
        reserve(request).expectStatus().isOk();
        refused(reservation(code, "other@example.com", appointment), "promo_code_exhausted");

        for (int i = 0; i < 2; i++) {
            web.post().uri("/internal/reservations/{id}/release", request.get("bookingId"))
                    .header("Authorization", "Bearer " + token("SERVICE")).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.bookingId").isEqualTo(request.get("bookingId"))
                    .jsonPath("$.status").isEqualTo("RELEASED");
        }
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isZero();
        assertThat(events(OfferTopics.PROMO_RELEASED, offer.get("id"))).isEqualTo(1);
        assertThat(payload(OfferTopics.PROMO_RELEASED, offer.get("id"))).contains("\"reason\":\"BOOKING_FAILED\"");
        // The place is free again, and so is the customer's own.
        reserve(reservation(code, "rel@example.com", appointment)).expectStatus().isOk();

        web.post().uri("/internal/reservations/{id}/release", UUID.randomUUID())
                .header("Authorization", "Bearer " + token("SERVICE")).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void aReservationLeftUnconfirmedExpiresAndFreesItsPlace() {
        String code = uniqueCode("TTL");
        var body = offer(code, start, end);
        body.put("maxRedemptions", 1);
        var offer = createOffer(body);
        var request = reservation(code, "slow@example.com", appointment);
        reserve(request).expectStatus().isOk();

        reservations.releaseExpired(Instant.now().plus(Duration.ofMinutes(9))).block();
        assertThat(status(request)).isEqualTo("RESERVED");
        clock.advance(Duration.ofMinutes(11));
        // The scheduler (every 500 ms in tests) releases it; a pass of its own here changes nothing more.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "RELEASED".equals(status(request)));
        reservations.releaseExpired(Instant.now().plus(Duration.ofMinutes(11))).block();
        assertThat(sqlLong("select taken from offer where id = ?::uuid", offer.get("id"))).isZero();
        assertThat(sqlLong("select taken from offer_customer where offer_id = ?::uuid", offer.get("id"))).isZero();
        assertThat(events(OfferTopics.PROMO_RELEASED, offer.get("id"))).isEqualTo(1);
        assertThat(payload(OfferTopics.PROMO_RELEASED, offer.get("id"))).contains("\"reason\":\"RESERVATION_EXPIRED\"");
        reserve(reservation(code, "next@example.com", appointment)).expectStatus().isOk();
    }

    private String status(Map<String, Object> request) {
        return (String) sql("select status from reservation where booking_id = ?::uuid", request.get("bookingId"))
                .get(0).get("status");
    }

    /** Refused with {@code code}, and counted once under that code for the promo-rejections panel. */
    private void refused(Map<String, Object> request, String code) {
        double before = rejections(code);
        reserve(request).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo(code).jsonPath("$.status").isEqualTo(422);
        assertThat(rejections(code)).as("reservation rejections counted as %s", code).isEqualTo(before + 1);
    }

    private double rejections(String code) {
        return meters.get(PromoRejections.METRIC).tag("code", code).tag("operation", "reservation").counter().count();
    }

    private String payload(String type, Object offerId) {
        return (String) sql("select payload from outbox_event where event_type = ? and event_key = ? order by id desc limit 1",
                type, offerId.toString()).get(0).get("payload");
    }
}
