package clinic.notification.newsletter;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** A confirmation link older than its validity: the sign-up has to be made again. */
public class ConfirmationExpired extends ClinicException {
    ConfirmationExpired() {
        super(HttpStatus.GONE, "token_expired", "Link expired",
                "This confirmation link has expired. Please sign up again to get a new one.");
    }
}
