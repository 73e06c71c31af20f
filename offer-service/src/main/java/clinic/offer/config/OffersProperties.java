package clinic.offer.config;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reservationTtl     how long a reservation waits for its booking's confirmation
 * @param zone               the clinic's zone: offer windows are local days and months there
 */
@ConfigurationProperties("clinic.offers")
public record OffersProperties(
        @DefaultValue("10m") Duration reservationTtl,
        @DefaultValue("Europe/London") ZoneId zone) {}
