package clinic.offer.offers;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** The offer expired by itself before marketing asked to end it. */
public class OfferAlreadyOver extends ClinicException {
    public OfferAlreadyOver(String code) {
        super(HttpStatus.CONFLICT, "offer_already_over", "Offer already over",
                "The offer " + code + " has already expired");
    }
}
