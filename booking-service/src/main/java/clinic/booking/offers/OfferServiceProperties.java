package clinic.booking.offers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How booking-service reaches offer-service for promo-code reservations.
 *
 * @param url                 base URL of offer-service
 * @param timeout             whole budget of one reservation, retry included: the customer waits on it
 * @param attemptTimeout      budget of a single HTTP attempt
 * @param breakerOpenFor      how long the circuit breaker stays open before probing again
 * @param breakerFailureRate  failure percentage (of the last calls) that opens the breaker
 */
@ConfigurationProperties("clinic.offers")
public record OfferServiceProperties(
        @DefaultValue("http://127.0.0.1:8082") String url,
        @DefaultValue("1500ms") Duration timeout,
        @DefaultValue("700ms") Duration attemptTimeout,
        @DefaultValue("10s") Duration breakerOpenFor,
        @DefaultValue("50") float breakerFailureRate) {}
