package clinic.kit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.testsupport.TestInfra;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/**
 * The Kafka health indicator is read by every probe and scrape: it asks Kafka once per cache window
 * through one admin client, and says DOWN (without blocking for long) when Kafka is away.
 */
class KafkaHealthTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2027-02-10T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aRealBrokerIsUpAndAskedOncePerWindowThroughOneClient() {
        MovableClock clock = new MovableClock();
        try (KafkaHealth health = new KafkaHealth(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap()), Duration.ofSeconds(5), clock)) {
            // The broker of the test JVM may still be starting: move past the window until it answers.
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                clock.advance(Duration.ofSeconds(6));
                return health.health().getStatus().equals(Status.UP);
            });
            int asked = health.checks();
            for (int i = 0; i < 20; i++) {
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            }
            assertThat(health.health().getDetails()).containsKey("nodes");
            assertThat(health.checks()).as("twenty probes within the window, no further question to Kafka").isEqualTo(asked);

            clock.advance(Duration.ofSeconds(6));
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.checks()).as("asked again once the window has passed").isEqualTo(asked + 1);
            assertThat(health.hasClient()).isTrue();
        }
    }

    @Test
    void anUnreachableBrokerIsDownWithinSecondsAndNotAskedAgainPerProbe() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        MovableClock clock = new MovableClock();
        try (KafkaHealth health = new KafkaHealth(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort), Duration.ofSeconds(5), clock)) {
            long started = System.nanoTime();
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            // Bounded by the client's own timeouts (2 s request, 3 s wait), not by Kafka's defaults of a
            // minute; generous here because the test machine may be busy.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            for (int i = 0; i < 10; i++) assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.checks()).isEqualTo(1);
        }
    }
}
