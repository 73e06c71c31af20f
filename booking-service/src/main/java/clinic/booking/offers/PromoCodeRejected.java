package clinic.booking.offers;

import clinic.kit.web.ClinicException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * offer-service refused the code; its stable {@code code} (promo_code_expired, ...) reaches the
 * client unchanged, and so do the words and the offer's window and scope it gave (when and for
 * what the code applies), so the customer reads "valid for appointments from 1 February ..." rather
 * than a bare "expired".
 */
public class PromoCodeRejected extends ClinicException {
    public PromoCodeRejected(String code, String detail) {
        this(code, detail, Map.of());
    }

    public PromoCodeRejected(String code, String detail, Map<String, Object> offerScope) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, code, "Promo code not accepted",
                detail == null || detail.isBlank() ? "The promo code cannot be used for this booking" : detail,
                offerScope);
    }
}
