package clinic.notification.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled        whether this instance sends (every instance may: claims never overlap)
 * @param pollInterval   how often due notifications are claimed
 * @param batchSize      notifications claimed per poll
 * @param concurrency    sends in flight at once
 * @param lease          how long a claimed notification is hidden from other pollers; longer than
 *                       any send can take (SMTP timeouts), so only a crashed sender's claims expire
 * @param maxAttempts    attempts before a notification is FAILED (first included)
 * @param initialBackoff wait after the first failure; grows by {@code multiplier} up to {@code maxBackoff}
 * @param jitter         randomisation factor of each wait (0.5 = ±50 %)
 */
@ConfigurationProperties("clinic.notifications.dispatch")
public record DispatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("20") int batchSize,
        @DefaultValue("4") int concurrency,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("2.0") double multiplier,
        @DefaultValue("60s") Duration maxBackoff,
        @DefaultValue("0.5") double jitter) {}
