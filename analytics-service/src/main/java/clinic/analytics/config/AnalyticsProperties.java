package clinic.analytics.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param rebuildTimeout longest a rebuild may spend replaying the topics before it gives up
 *                       (the live listeners are paused meanwhile, so this bounds the outage)
 * @param maxChartDays   longest period, in days, that bookings-per-day answers in one response
 */
@ConfigurationProperties("clinic.analytics")
public record AnalyticsProperties(
        @DefaultValue("10m") Duration rebuildTimeout,
        @DefaultValue("366") int maxChartDays) {}
