package clinic.offer.offers;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** Another offer already uses the code for an overlapping window. */
public class OfferCodeTaken extends ClinicException {
    public OfferCodeTaken(String code) {
        super(HttpStatus.CONFLICT, "offer_code_taken", "Offer code taken",
                "Another offer uses the code " + code + " at an overlapping time");
    }
}
