package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.core.ParameterizedTypeReference;
import reactor.test.StepVerifier;

/** Services that are down, slow, failing in their own words, streaming, or running twice. */
class ResilienceTest extends GatewayTestBase {

    @Test
    void aStoppedServiceIsA503NamingTheCapability() {
        NOTIFICATION.stop();
        try {
            client().post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"email\":\"sam@example.com\",\"consent\":true}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists("X-Request-Id")
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("notifications_unavailable")
                    .jsonPath("$.status").isEqualTo(503)
                    .jsonPath("$.instance").isEqualTo("/api/newsletter/subscriptions");
            // A GET is retried, and still ends in the same problem rather than a hang or a 500.
            client().get().uri("/api/staff/notifications").header("Authorization", "Bearer " + token("STAFF"))
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("notifications_unavailable");
        } finally {
            NOTIFICATION.restart();
        }
        client().get().uri("/api/newsletter/confirm?token=t").exchange().expectStatus().isOk();
        // The route's breaker reports its state (ClinicCircuitBreakerOpen reads resilience4j_circuitbreaker_state).
        assertThat(meters.find("resilience4j.circuitbreaker.state").gauges()).isNotEmpty();
    }

    @Test
    void aServiceThatDoesNotAnswerIsA503AfterTheTimeout() {
        // The stand-in answers after 4 s; the test configuration's timeout is 2 s.
        client().post().uri("/api/callbacks").contentType(MediaType.APPLICATION_JSON)
                .header("X-Test-Delay-Ms", "4000")
                .bodyValue("{\"name\":\"Sam\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("callbacks_unavailable");
        client().get().uri("/api/offers").header("X-Test-Delay-Ms", "4000")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("offers_unavailable")
                .jsonPath("$.instance").isEqualTo("/api/offers");
    }

    @Test
    void aServicesOwnProblemPassesThroughUnchangedAndIsNotRetried() {
        for (int status : new int[] {400, 404, 409, 422, 500, 503}) {
            String path = "/api/bookings/BK-" + status;
            int before = BOOKING.receivedPath(path).size();
            client().get().uri(path).header("X-Test-Status", Integer.toString(status))
                    .exchange()
                    .expectStatus().isEqualTo(status)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("booking_says_no")
                    .jsonPath("$.detail").isEqualTo("the service's own words")
                    .jsonPath("$.type").isEqualTo("https://clinic.example/problems/from-booking");
            assertThat(BOOKING.receivedPath(path)).hasSize(before + 1);
        }
    }

    @Test
    void aGetFailsOverToAnotherInstanceWhenOneIsDown() {
        // analytics has a dead first instance and a live second one.
        for (int i = 0; i < 6; i++) {
            client().get().uri("/api/analytics/summary?from=2027-02-01&to=2027-02-28")
                    .header("Authorization", "Bearer " + token("MARKETING"))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.service").isEqualTo("analytics");
        }
    }

    @Test
    void theCallbackStreamIsPassedOnAsItHappensAndOutlivesTheTimeout() {
        CALLBACK.streamSecondEvent = new CountDownLatch(1);
        // Longer than the 2 s timeout of ordinary routes: the stream must survive it.
        CALLBACK.streamPauseMillis = 2500;
        var events = raw.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/api/staff/callbacks/stream")
                .header("Authorization", "Bearer " + token("STAFF"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody();
        StepVerifier.create(events)
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("callback.requested");
                    assertThat(e.data()).contains("first");
                    // Only now may the stand-in send the next event: had the gateway buffered the
                    // stream, this first event would never have arrived.
                    CALLBACK.streamSecondEvent.countDown();
                })
                .assertNext(e -> {
                    assertThat(e.event()).isEqualTo("callback.claimed");
                    assertThat(e.data()).contains("second");
                })
                .verifyComplete();
    }

    @Test
    void theDiaryStreamGoesToBookingServiceAndOutlivesTheTimeout() {
        BOOKING.streamSecondEvent = new CountDownLatch(1);
        BOOKING.streamPauseMillis = 2500;
        var events = raw.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/api/staff/bookings/stream?locationId=sheffield")
                .header("Authorization", "Bearer " + token("STAFF"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody();
        StepVerifier.create(events)
                .assertNext(e -> {
                    assertThat(e.data()).contains("first");
                    BOOKING.streamSecondEvent.countDown();
                })
                .assertNext(e -> assertThat(e.data()).contains("second"))
                .verifyComplete();
        assertThat(BOOKING.receivedPath("/api/staff/bookings/stream")).isNotEmpty();
        client().get().uri("/api/staff/bookings/stream?locationId=sheffield").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theCallbackStreamNeedsStaff() {
        client().get().uri("/api/staff/callbacks/stream").exchange().expectStatus().isUnauthorized();
        client().get().uri("/api/staff/callbacks/stream").header("Authorization", "Bearer " + token("MARKETING"))
                .exchange().expectStatus().isForbidden();
    }
}
