package clinic.gateway.auth;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** Wrong password or unknown username: deliberately the same answer for both. */
class BadCredentials extends ClinicException {
    BadCredentials() {
        super(HttpStatus.UNAUTHORIZED, "bad_credentials", "Bad credentials", "The username or password is wrong");
    }
}
