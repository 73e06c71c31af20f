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
 *
 * <p>Attempts and the waits between them are the resilience4j retry instance
 * {@code notification-delivery} in application.yml (clinic.notification.dispatch.Dispatcher).
 */
@ConfigurationProperties("clinic.notifications.dispatch")
public record DispatchProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("20") int batchSize,
        @DefaultValue("4") int concurrency,
        @DefaultValue("2m") Duration lease) {}
