package clinic.offer.promo;

import clinic.kit.web.ClinicException;
import clinic.offer.offers.Rejection;
import org.springframework.http.HttpStatus;

/** A promo code that cannot be used for this booking: 422 with the reason's stable code. */
public class PromoCodeRejected extends ClinicException {
    private final Rejection rejection;

    public PromoCodeRejected(Rejection rejection) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, rejection.code(), rejection.title(), rejection.detail());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
