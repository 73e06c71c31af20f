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

    @org.springframework.beans.factory.annotation.Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers;
    @org.springframework.beans.factory.annotation.Autowired
    io.github.resilience4j.timelimiter.TimeLimiterRegistry timeLimiters;
    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory routeBreakers;

    @Test
    void theRoutesBreakersAreTheInstancesNamedInApplicationYml() {
        // Spring Cloud CircuitBreaker works in resilience4j-spring-boot3's registries, not registries of
        // its own: what the routes use is what actuator and the metrics show.
        assertThat(routeBreakers.getCircuitBreakerRegistry()).isSameAs(breakers);
        assertThat(routeBreakers.getTimeLimiterRegistry()).isSameAs(timeLimiters);
        java.util.List<String> names = java.util.List.of("bookings", "availability", "bookings-stream", "offers",
                "callbacks", "callbacks-stream", "notifications", "analytics");
        for (String name : names) {
            // Declared, so built at start with the yml's numbers (not lazily on a route's first call).
            var c = breakers.find(name).orElseThrow(() -> new AssertionError("no breaker " + name)).getCircuitBreakerConfig();
            assertThat(c.getSlidingWindowSize()).isEqualTo(20);
            assertThat(c.getMinimumNumberOfCalls()).isEqualTo(10);
            assertThat(c.getFailureRateThreshold()).isEqualTo(50f);
            assertThat(c.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
            assertThat(c.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(10_000L);
            // ... and in the metrics the ClinicCircuitBreakerOpen alert reads, before any traffic.
            assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", name).gauges()).isNotEmpty();
        }
        for (String name : java.util.List.of("bookings", "availability", "offers", "callbacks", "notifications", "analytics")) {
            // The tests' CLINIC_DOWNSTREAM_TIMEOUT (2 s).
            assertThat(timeLimiters.find(name).orElseThrow().getTimeLimiterConfig().getTimeoutDuration())
                    .isEqualTo(Duration.ofSeconds(2));
        }
        // Traffic through the routes makes no breaker beside the declared ones.
        client().get().uri("/api/offers").exchange().expectStatus().isOk();
        assertThat(breakers.getAllCircuitBreakers()).extracting(b -> b.getName()).containsExactlyInAnyOrderElementsOf(names);
        // Not shown to the internet: the public port exposes health and info only unless told otherwise.
        client().get().uri("/actuator/circuitbreakers").exchange().expectStatus().value(s -> assertThat(s).isIn(400, 404));
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
