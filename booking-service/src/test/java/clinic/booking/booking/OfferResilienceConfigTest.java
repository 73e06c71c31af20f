package clinic.booking.booking;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.offers.OffersUnavailable;
import clinic.booking.support.BookingTestBase;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The offer-service call runs on the resilience4j instances application.yml names, built by
 * resilience4j-spring-boot3 (not by hand), and actuator and Micrometer see them with no wiring of
 * ours. A hand-built breaker with the same numbers would fail the "same instance" checks; an
 * instance missing from the yml would have library defaults (threshold 50, but window 100).
 */
class OfferResilienceConfigTest extends BookingTestBase {
    @Autowired CircuitBreakerRegistry breakers;
    @Autowired RetryRegistry retries;
    @Autowired TimeLimiterRegistry timeLimiters;

    @Test
    void theOfferClientUsesTheInstancesNamedInApplicationYml() {
        CircuitBreaker breaker = breakers.find("offer-service").orElseThrow();
        assertThat(offerClient.breaker()).isSameAs(breaker);
        assertThat(offerClient.retry()).isSameAs(retries.find("offer-service").orElseThrow());

        CircuitBreakerConfig c = breaker.getCircuitBreakerConfig();
        assertThat(c.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
        assertThat(c.getSlidingWindowSize()).isEqualTo(20);
        assertThat(c.getMinimumNumberOfCalls()).isEqualTo(10);
        assertThat(c.getFailureRateThreshold()).isEqualTo(50f);
        assertThat(c.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(Duration.ofSeconds(10).toMillis());
        assertThat(c.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
        // An outage counts; a refusal of the code is an answer.
        assertThat(c.getRecordExceptionPredicate().test(new IOException("refused"))).isTrue();
        assertThat(c.getRecordExceptionPredicate().test(new TimeoutException())).isTrue();
        assertThat(c.getRecordExceptionPredicate().test(new OffersUnavailable())).isFalse();

        var r = offerClient.retry().getRetryConfig();
        assertThat(r.getMaxAttempts()).isEqualTo(2);
        // At once: the customer is waiting.
        assertThat(r.getIntervalBiFunction().apply(1, io.github.resilience4j.core.functions.Either.left(new IOException())))
                .isZero();
        assertThat(r.getExceptionPredicate().test(new IOException("refused"))).isTrue();
        assertThat(r.getExceptionPredicate().test(new OffersUnavailable())).isFalse();
        assertThat(r.getExceptionPredicate().test(CallNotPermittedException.createCallNotPermittedException(breaker)))
                .isFalse();

        assertThat(timeLimiters.find("offer-service").orElseThrow().getTimeLimiterConfig().getTimeoutDuration())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(timeLimiters.find("offer-service-call").orElseThrow().getTimeLimiterConfig().getTimeoutDuration())
                .isEqualTo(Duration.ofMillis(3500));
    }

    @Test
    void actuatorListsThemAndAnOpenBreakerLeavesTheServiceReady() {
        http.get().uri("/actuator/circuitbreakers").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.circuitBreakers['offer-service'].state").isEqualTo("CLOSED")
                .jsonPath("$.circuitBreakers['offer-service'].failureRateThreshold").isEqualTo("50.0%");
        http.get().uri("/actuator/retries").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.retries[?(@ == 'offer-service')]").exists();
        http.get().uri("/actuator/timelimiters").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.timeLimiters[?(@ == 'offer-service')]").exists()
                .jsonPath("$.timeLimiters[?(@ == 'offer-service-call')]").exists();

        offerClient.breaker().transitionToOpenState();
        try {
            http.get().uri("/actuator/circuitbreakers").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.circuitBreakers['offer-service'].state").isEqualTo("OPEN");
            // Bookings without a code go on while offer-service is cut off: ready and healthy.
            http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            http.get().uri("/actuator/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
        } finally {
            offerClient.breaker().reset();
        }
    }

    @Test
    void theirMetricsAppearWithoutWiring() {
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "offer-service").gauges()).isNotEmpty();
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "offer-service").meters()).isNotEmpty();
        assertThat(meters.find("resilience4j.timelimiter.calls").tag("name", "offer-service-call").meters()).isNotEmpty();
        // Micrometer names these resilience4j_circuitbreaker_state{name="offer-service",state=...} on
        // /actuator/prometheus, what the ClinicCircuitBreakerOpen alert reads (the tests' context has no
        // Prometheus registry: Boot leaves exporters out of tests). MetricsIT reads the real scrape.
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "offer-service").tag("state", "closed")
                .gauge().value()).isEqualTo(1.0);
    }
}
