package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Looking at free slots and booking fail apart (issue 22): availability has its own route and
 * breaker at the gateway, so a storm of slot searches that booking-service cannot answer in time
 * no longer opens the breaker bookings go through. And a service's deliberate 503 with
 * Retry-After is an answer, not a failure: it opens no breaker.
 */
class AvailabilityBreakerTest extends GatewayTestBase {
    private static final String SLOTS = "/api/availability?locationId=sheffield&treatmentId=t&date=2027-02-10";
    /** The breakers' minimum-number-of-calls: this many failures in a row open one (ResilienceTest pins it). */
    private static final int CALLS_TO_OPEN = 10;

    @Autowired
    CircuitBreakerRegistry breakers;

    @BeforeEach
    @AfterEach
    void closedBreakers() {
        // One gateway serves every test class: start from closed breakers with nothing counted, and
        // leave none open for the next class (open means 10 s of 503s).
        for (String name : List.of("bookings", "availability")) {
            breakers.find(name).ifPresent(CircuitBreaker::reset);
        }
    }

    @Test
    void failingAvailabilityOpensItsOwnBreakerAndBookingsStillReachBookingService() {
        for (int i = 0; i < CALLS_TO_OPEN; i++) {
            // booking-service drops every look at free slots (the GET is retried, then given up).
            client().get().uri(SLOTS).header("X-Test-Drop", "1")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("bookings_unavailable");
        }

        // Booking goes on: a POST and a GET reach booking-service, not the fallback.
        int posted = BOOKING.receivedPath("/api/bookings").size();
        client().post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"slot\":\"while-availability-is-down\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("booking");
        assertThat(BOOKING.receivedPath("/api/bookings")).hasSize(posted + 1);
        client().get().uri("/api/bookings/BK-ISOLATED")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.path").isEqualTo("/api/bookings/BK-ISOLATED");
        assertThat(breakers.circuitBreaker("bookings").getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        // Availability itself is refused by its own open breaker: at once, the contract's code,
        // and booking-service is not asked.
        assertThat(breakers.find("availability")).get().extracting(CircuitBreaker::getState)
                .isEqualTo(CircuitBreaker.State.OPEN);
        int asked = BOOKING.receivedPath("/api/availability").size();
        client().get().uri(SLOTS)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("bookings_unavailable")
                .jsonPath("$.instance").isEqualTo("/api/availability");
        assertThat(BOOKING.receivedPath("/api/availability")).hasSize(asked);
    }

    @Test
    void failingBookingsLeaveAvailabilityAnswered() {
        for (int i = 0; i < CALLS_TO_OPEN; i++) {
            client().get().uri("/api/bookings/BK-DROPPED").header("X-Test-Drop", "1")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("bookings_unavailable");
        }
        assertThat(breakers.circuitBreaker("bookings").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        client().get().uri(SLOTS)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.path").isEqualTo("/api/availability");
    }

    @Test
    void aDeliberate503WithRetryAfterReachesTheClientAsSentAndOpensNoBreaker() {
        // More than the breakers need to judge: had these answers counted as failures, both breakers
        // would be open and the later ones would be the gateway's fallback (bookings_unavailable).
        int answers = CALLS_TO_OPEN + 2;
        for (int i = 0; i < answers; i++) {
            client().post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON)
                    .header("X-Test-Status", "503").header("X-Test-Retry-After", "1")
                    .bodyValue("{\"slot\":\"busy\"}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("booking_says_no");
            client().get().uri(SLOTS)
                    .header("X-Test-Status", "503").header("X-Test-Retry-After", "1")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody().jsonPath("$.code").isEqualTo("booking_says_no");
        }
        for (String name : List.of("bookings", "availability")) {
            CircuitBreaker breaker = breakers.find(name).orElseThrow(() -> new AssertionError("no breaker " + name));
            assertThat(breaker.getState()).as(name).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as(name).isZero();
            assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).as(name).isEqualTo(answers);
        }
    }
}
