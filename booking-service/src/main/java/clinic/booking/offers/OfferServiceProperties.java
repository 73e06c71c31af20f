package clinic.booking.offers;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where booking-service reaches offer-service for promo-code reservations. How long it waits, how
 * often it retries and when it stops asking are resilience4j instances named {@code offer-service}
 * (and {@code offer-service-call} for the whole budget) in application.yml, not settings here.
 *
 * @param url base URL of offer-service
 */
@ConfigurationProperties("clinic.offers")
public record OfferServiceProperties(@DefaultValue("http://127.0.0.1:8082") String url) {}
