package clinic.booking.offers;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** offer-service refused the code; its stable {@code code} (promo_code_expired, ...) reaches the client unchanged. */
public class PromoCodeRejected extends ClinicException {
    public PromoCodeRejected(String code, String detail) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, code, "Promo code not accepted",
                detail == null || detail.isBlank() ? "The promo code cannot be used for this booking" : detail);
    }
}
