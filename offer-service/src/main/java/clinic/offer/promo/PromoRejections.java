package clinic.offer.promo;

import clinic.offer.offers.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts refused promo codes as {@code clinic.offers.promo.rejections} tagged with the contract's
 * {@code code} and the {@code operation} (a customer's quote, or booking-service's reservation).
 * Every code is registered at start with zero, so a first refusal is an increase Prometheus can
 * see rather than a series that appears already at one.
 */
@Component
class PromoRejections {
    static final String METRIC = "clinic.offers.promo.rejections";

    private final Map<Rejection, Counter> quotes = new EnumMap<>(Rejection.class);
    private final Map<Rejection, Counter> reservations = new EnumMap<>(Rejection.class);

    PromoRejections(MeterRegistry meters) {
        for (Rejection r : Rejection.values()) {
            quotes.put(r, counter(meters, r, "quote"));
            reservations.put(r, counter(meters, r, "reservation"));
        }
    }

    private static Counter counter(MeterRegistry meters, Rejection r, String operation) {
        return Counter.builder(METRIC).tag("code", r.code()).tag("operation", operation)
                .description("Promo codes refused, by the contract's error code").register(meters);
    }

    void quoteRefused(Rejection r) {
        quotes.get(r).increment();
    }

    void reservationRefused(Rejection r) {
        reservations.get(r).increment();
    }
}
