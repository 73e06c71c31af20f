package clinic.notification.owners;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bookingUrl  booking-service's base URL (its internal contact and manage-link endpoints)
 * @param callbackUrl callback-service's base URL (its internal contact endpoint)
 * @param timeout     one call's limit; a slower owner counts as away and the event waits for it
 */
@ConfigurationProperties("clinic.notifications.owners")
public record OwnersProperties(
        @DefaultValue("http://127.0.0.1:8081") String bookingUrl,
        @DefaultValue("http://127.0.0.1:8083") String callbackUrl,
        @DefaultValue("3s") Duration timeout) {}
