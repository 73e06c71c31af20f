package clinic.offer.offers;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/**
 * Only a scheduled offer can be edited: once it is live, customers may have booked with what it
 * said (end it and launch a corrected one instead).
 */
public class OfferNotScheduled extends ClinicException {
    public OfferNotScheduled(String code, OfferStatus status) {
        super(HttpStatus.CONFLICT, "offer_not_scheduled", "Offer not scheduled",
                "The offer " + code + " is " + status.name().toLowerCase(java.util.Locale.ROOT)
                        + ": only a scheduled offer can be edited; end it and launch a corrected one");
    }
}
