package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The delivery retry schedule is the resilience4j instance {@code notification-delivery}, built by
 * resilience4j-spring-boot3 from application.yml (the tests' context shortens its waits) and listed
 * at /actuator/retries. DeliveryRetryTest shows the dispatcher following it (attempts, FAILED after
 * the eighth).
 */
class DeliveryRetryScheduleTest extends IntegrationTest {
    @Autowired RetryRegistry retries;

    @Test
    void theScheduleIsTheNamedInstanceOfApplicationYml() {
        RetryConfig c = retries.find("notification-delivery").orElseThrow().getRetryConfig();
        assertThat(c.getMaxAttempts()).isEqualTo(8);
        // 100 ms doubling (the tests' wait-duration), capped at the tests' 1 s, then ±50 %.
        var wait = c.getIntervalBiFunction();
        Either<Throwable, Object> failure = Either.left(new IOException("smtp down"));
        for (int i = 0; i < 50; i++) {
            assertThat(wait.apply(1, failure)).isBetween(50L, 150L);
            assertThat(wait.apply(2, failure)).isBetween(100L, 300L);
            assertThat(wait.apply(7, failure)).isBetween(500L, 1500L);
        }
    }

    @Test
    void actuatorListsItAndItsNeverMovingCountersAreNotPublished() {
        http.get().uri("/actuator/retries").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.retries[?(@ == 'notification-delivery')]").exists();
        // Retry's loop is not used, so its call counters would stay at zero while mail fails: off on
        // purpose (resilience4j.retry.metrics.enabled); clinic.notifications.* measure delivery.
        assertThat(meters.find("resilience4j.retry.calls").meters()).isEmpty();
        assertThat(meters.find("clinic.notifications.sent").meters()).isNotEmpty();
    }
}
