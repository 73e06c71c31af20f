package clinic.kit.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Kafka's health for {@code /actuator/health} (what alerts and dashboards read), not for readiness:
 * a Kafka pause must not take pods out of their Services, the outbox holds events meanwhile.
 *
 * <p>One admin client for the life of the service, and the last answer kept for {@code cacheFor}:
 * every probe and scrape building its own client opened a connection (and a thread) each time,
 * which under a Kafka outage piles up exactly when the platform is already in trouble.
 */
final class KafkaHealth implements HealthIndicator, AutoCloseable {

    private final Map<String, Object> adminConfig;
    private final Duration cacheFor;
    private final Clock clock;
    private AdminClient client;
    private Health last;
    private Instant lastAt = Instant.MIN;
    private int checks;

    KafkaHealth(Map<String, Object> adminConfig, Duration cacheFor, Clock clock) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    /** Synchronized: concurrent probes wait for the one check in flight instead of starting their own. */
    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(lastAt.plus(cacheFor))) return last;
        last = check();
        lastAt = clock.instant();
        return last;
    }

    private Health check() {
        checks++;
        try {
            if (client == null) client = AdminClient.create(adminConfig);
            var cluster = client.describeCluster(new DescribeClusterOptions().timeoutMs(2000));
            int nodes = cluster.nodes().get(3, TimeUnit.SECONDS).size();
            return Health.up().withDetail("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }

    /** How many times Kafka was actually asked (the rest were answered from the last result). */
    synchronized int checks() {
        return checks;
    }

    synchronized boolean hasClient() {
        return client != null;
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close(Duration.ofSeconds(2));
        client = null;
    }
}
