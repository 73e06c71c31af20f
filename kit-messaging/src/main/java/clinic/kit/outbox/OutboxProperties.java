package clinic.kit.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param pollInterval how often the relay looks for rows when nobody woke it: a safety net, since
 *                     every commit that appends events wakes it at once (it was 250 ms; idle
 *                     polling of every service showed in the benchmark's idle CPU)
 * @param batchSize    rows claimed per pass
 * @param sendTimeout  longest wait for Kafka's acknowledgements of one batch (shorter than any
 *                     lock the pass holds; the producer's delivery.timeout.ms is below it)
 * @param retryBackoff pause after a failed pass
 * @param retention    how long published rows stay before clean-up
 */
@ConfigurationProperties("clinic.outbox")
public record OutboxProperties(
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("20s") Duration sendTimeout,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue("7d") Duration retention) {}
