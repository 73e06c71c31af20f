package clinic.booking.offers;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** offer-service could not be asked in time (down, slow, or its circuit breaker is open). */
public class OffersUnavailable extends ClinicException {
    public OffersUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "offers_unavailable", "Offers unavailable",
                "Promo codes cannot be checked right now; try again shortly or book without the code");
    }
}
