package clinic.gateway.ratelimit;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/**
 * The shared limits' database did not answer in time for a sign-in decision. Sign-in fails closed:
 * it needs the same database for the account anyway, and an open door would let guesses through
 * unlimited while it is away (docs/adr/0009).
 */
public class LimitStoreUnavailable extends ClinicException {
    public LimitStoreUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "Temporarily unavailable",
                "Sign-in is temporarily unavailable; please try again shortly");
    }
}
