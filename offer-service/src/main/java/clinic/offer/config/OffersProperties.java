package clinic.offer.config;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bookingServiceUrl  where booking-service's public catalogue ({@code GET /api/treatments}) is
 * @param catalogueTtl       how long a fetched catalogue prices quotes before it is read again
 * @param catalogueTimeout   longest wait for the catalogue; beyond it a quote is 503
 * @param reservationTtl     how long a reservation waits for its booking's confirmation
 * @param zone               the clinic's zone: offer windows are local days and months there
 */
@ConfigurationProperties("clinic.offers")
public record OffersProperties(
        @DefaultValue("http://127.0.0.1:8081") URI bookingServiceUrl,
        @DefaultValue("60s") Duration catalogueTtl,
        @DefaultValue("2s") Duration catalogueTimeout,
        @DefaultValue("10m") Duration reservationTtl,
        @DefaultValue("Europe/London") ZoneId zone) {}
