package clinic.offer.catalogue;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** booking-service's catalogue could not be read, so a quote cannot be priced. */
public class CatalogueUnavailable extends ClinicException {
    public CatalogueUnavailable(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "catalogue_unavailable", "Catalogue unavailable",
                "Treatment prices cannot be read right now; please try again shortly");
        initCause(cause);
    }
}
