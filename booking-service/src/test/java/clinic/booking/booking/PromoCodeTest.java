package clinic.booking.booking;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingEvents;
import clinic.booking.support.BookingTestBase;
import clinic.booking.support.FakeOfferService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Promo codes through the fake offer-service: discounts, refusals passed through, and an offer-service that is away. */
class PromoCodeTest extends BookingTestBase {
    private static final Logger log = LoggerFactory.getLogger(PromoCodeTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;

    @BeforeEach
    void clearFake() {
        FakeOfferService.RESERVE_CALLS.clear();
        FakeOfferService.RELEASES.clear();
        FakeOfferService.UNAUTHORISED.clear();
    }

    private Map<String, Object> withCode(Map<String, Object> body, String code) {
        body.put("promoCode", code);
        return body;
    }

    @Test
    void aValidCodeIsReservedWithTheBookingIdAndDiscountsThePrice() {
        JsonNode b = post("/api/bookings", withCode(booking("hathersage", "sports-massage-60", "hathersage-hana",
                Instant.parse("2027-02-17T10:00:00Z")), "feb10"))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(b.get("pricePence").asLong()).isEqualTo(5500);
        assertThat(b.get("discountPence").asLong()).isEqualTo(550);
        assertThat(b.get("totalPence").asLong()).isEqualTo(4950);
        assertThat(b.get("promoCode").asText()).isEqualTo("FEB10");
        String reference = b.get("reference").asText();
        String bookingId = db.sql("select id::text from booking where reference = :r").bind("r", reference)
                .map(r -> r.get(0, String.class)).one().block();
        // the booking id is the idempotency key of the reservation; the call carried a SERVICE token
        assertThat(FakeOfferService.RESERVE_CALLS).containsExactly(bookingId + ":FEB10");
        assertThat(FakeOfferService.UNAUTHORISED).isEmpty();
        assertThat(FakeOfferService.RESERVATIONS.get(bookingId).get("totalPence").asLong()).isEqualTo(4950);

        var record = BookingEvents.await(reference, "booking.confirmed.v2");
        // One trace: the reservation call (a CLIENT span of the booking request) and the event.
        String call = FakeOfferService.TRACEPARENTS.get(bookingId);
        String published = new String(record.headers().lastHeader("traceparent").value(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(call).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(published.split("-")[1]).isEqualTo(call.split("-")[1]);
        assertThat(published).isNotEqualTo(call);

        String event = record.value();
        assertThat(event).contains("\"discountPence\":550", "\"totalPence\":4950", "\"promoCode\":\"FEB10\"",
                "\"offerId\":\"0b7e3c1d-1111-4a2b-8c3d-2e4f5a6b7c8d\"", "\"bookingId\":\"" + bookingId + "\"");
    }

    @Test
    void eachRefusalOfOfferServiceReachesTheClientWithItsCode() {
        Instant at = Instant.parse("2027-02-17T11:00:00Z");
        FakeOfferService.ERROR_CODES.forEach((promo, code) ->
                post("/api/bookings", withCode(booking("hathersage", "sports-massage-45", "hathersage-ian", at), promo))
                        .expectStatus().isEqualTo(422).expectBody()
                        .jsonPath("$.code").isEqualTo(code)
                        .jsonPath("$.status").isEqualTo(422)
                        // when and for what the offer applies is passed on; nothing else offer-service said
                        .jsonPath("$.offerLastDay").isEqualTo("2027-02-28")
                        .jsonPath("$.locationIds[0]").isEqualTo("sheffield")
                        .jsonPath("$.offerOver").isEqualTo(false)
                        .jsonPath("$.internalOnly").doesNotExist());
        assertThat(sql("select count(*) from booking where therapist_id = 'hathersage-ian' and starts_at = '2027-02-17T11:00:00Z'"))
                .isZero();
        assertThat(FakeOfferService.RESERVE_CALLS).hasSize(5);
        // refusals are answers, not outages: the breaker stays closed
        assertThat(offerClient.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void movingABookingOutOfItsOffersWindowIsRefusedAndChangesNothing() {
        JsonNode b = post("/api/bookings", withCode(booking("hathersage", "sports-massage-60", "hathersage-hana",
                Instant.parse("2027-02-24T10:00:00Z")), "FEB10"))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String reference = b.get("reference").asText();
        String token = b.get("manageToken").asText();

        // Into March: the discount was for February appointments, so the move is refused with the window.
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-03-03T10:00:00Z"))
                .exchange().expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("promo_code_expired")
                .jsonPath("$.detail").isEqualTo("This code is valid for appointments from 1 February 2027 to 28 February 2027")
                .jsonPath("$.offerLastDay").isEqualTo("2027-02-28");
        assertThat(sql("select count(*) from booking where reference = '" + reference
                + "' and starts_at = '2027-02-24T10:00:00Z' and discount_pence = 550")).isEqualTo(1);

        // Inside February: moved, discount kept.
        http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-25T10:00:00Z"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.startsAt").isEqualTo("2027-02-25T10:00:00Z")
                .jsonPath("$.discountPence").isEqualTo(550);

        // A booking without a code never asks offer-service, so it moves while offer-service is away.
        JsonNode plain = post("/api/bookings", booking("hathersage", "sports-massage-60", "hathersage-hana",
                Instant.parse("2027-02-24T14:00:00Z"))).expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        FakeOfferService.stop();
        try {
            http.post().uri("/api/bookings/" + plain.get("reference").asText() + "/reschedule")
                    .header("X-Manage-Token", plain.get("manageToken").asText())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-03-03T14:00:00Z"))
                    .exchange().expectStatus().isOk();
            // ... while one with a code cannot be checked, so it is not moved: 503 as for a new booking.
            http.post().uri("/api/bookings/" + reference + "/reschedule").header("X-Manage-Token", token)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("startsAt", "2027-02-26T10:00:00Z"))
                    .exchange().expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("offers_unavailable");
        } finally {
            FakeOfferService.start();
        }
        assertThat(sql("select count(*) from booking where reference = '" + reference
                + "' and starts_at = '2027-02-25T10:00:00Z'")).isEqualTo(1);
    }

    @Test
    void withOfferServiceStoppedOnlyBookingsWithACodeAreRefused() {
        FakeOfferService.stop();
        try {
            post("/api/bookings", booking("hathersage", "sports-massage-30", "hathersage-hana",
                    Instant.parse("2027-02-18T09:00:00Z"))).expectStatus().isCreated();

            long started = System.nanoTime();
            post("/api/bookings", withCode(booking("hathersage", "sports-massage-30", "hathersage-hana",
                    Instant.parse("2027-02-18T10:00:00Z")), "FEB10"))
                    .expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("offers_unavailable");
            log.info("offer-service stopped: booking with a code answered 503 in {} ms",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            assertThat(sql("select count(*) from booking where starts_at = '2027-02-18T10:00:00Z'")).isZero();

            // a few more and the breaker opens: later calls do not even try
            for (int i = 0; i < 4; i++) {
                post("/api/bookings", withCode(booking("hathersage", "sports-massage-30", "hathersage-hana",
                        Instant.parse("2027-02-18T10:00:00Z")), "FEB10")).expectStatus().isEqualTo(503);
            }
            assertThat(offerClient.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
            // ...and the ClinicCircuitBreakerOpen alert can see it.
            assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "offer-service").tag("state", "open")
                    .gauge().value()).isEqualTo(1.0);
            post("/api/bookings", booking("hathersage", "sports-massage-30", "hathersage-hana",
                    Instant.parse("2027-02-18T11:00:00Z"))).expectStatus().isCreated();
        } finally {
            FakeOfferService.start();
        }
    }

    @Test
    void aHangingOfferServiceIsCutOffWithOffersUnavailable() {
        long started = System.nanoTime();
        post("/api/bookings", withCode(booking("hathersage", "sports-massage-30", "hathersage-hana",
                Instant.parse("2027-02-18T13:30:00Z")), "SLOW"))
                .expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("offers_unavailable");
        log.info("offer-service hanging: booking with a code answered 503 in {} ms",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        // the idempotent call was tried twice (one retry), both with the same booking id
        assertThat(FakeOfferService.RESERVE_CALLS).hasSize(2);
        assertThat(new HashSet<>(FakeOfferService.RESERVE_CALLS)).hasSize(1);
    }

    @Test
    void reservationsOfBookingsThatLoseTheRaceAreReleased() {
        WebClient client = WebClient.create("http://127.0.0.1:" + port);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        Instant at = Instant.parse("2027-02-19T11:00:00Z");
        Flux.range(0, 10)
                .flatMap(i -> client.post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(withCode(booking("chesterfield", "sports-massage-60", "chesterfield-kai", at), "FEB10"))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 10)
                .doOnNext(s -> statuses.merge(s, 1, Integer::sum))
                .blockLast(Duration.ofSeconds(60));

        assertThat(statuses).containsEntry(201, 1).containsEntry(409, 9);
        String winner = db.sql("select id::text from booking where status = 'CONFIRMED' and therapist_id = 'chesterfield-kai'"
                        + " and starts_at = '2027-02-19T11:00:00Z'").map(r -> r.get(0, String.class)).one().block();
        Set<String> reserved = new HashSet<>();
        FakeOfferService.RESERVE_CALLS.forEach(c -> reserved.add(c.split(":")[0]));
        Set<String> expectedReleases = new HashSet<>(reserved);
        expectedReleases.remove(winner);
        log.info("10 concurrent promo bookings of one slot: {}, {} reserved, {} released", statuses, reserved.size(),
                FakeOfferService.RELEASES.size());
        assertThat(reserved).contains(winner);
        assertThat(FakeOfferService.RELEASES).containsExactlyInAnyOrderElementsOf(List.copyOf(expectedReleases));
    }

    @Test
    void anIdempotentReplayDoesNotReserveAgain() throws Exception {
        Map<String, Object> body = withCode(booking("chesterfield", "sports-massage-30", "chesterfield-jo",
                Instant.parse("2027-02-19T14:00:00Z")), "FEB10");
        String key = "promo-" + java.util.UUID.randomUUID();
        String first = http.post().uri("/api/bookings").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        String second = http.post().uri("/api/bookings").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody();
        assertThat(JSON.readTree(second)).isEqualTo(JSON.readTree(first));
        assertThat(JSON.readTree(first).get("discountPence").asLong()).isEqualTo(350);
        assertThat(FakeOfferService.RESERVE_CALLS).hasSize(1);
    }
}
