package clinic.notification.privacy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Contract 1.1 retention (docs/privacy.md).
 *
 * @param notificationLog   how long the log of sent and failed messages (and done reminders) is kept (12 months)
 * @param unconfirmedSignUps how long a newsletter sign-up that was never confirmed, with its token, is kept
 */
@ConfigurationProperties("clinic.notifications.retention")
public record RetentionProperties(
        @DefaultValue("365d") Duration notificationLog,
        @DefaultValue("7d") Duration unconfirmedSignUps) {}
