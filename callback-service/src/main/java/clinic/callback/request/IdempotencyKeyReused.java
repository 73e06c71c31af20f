package clinic.callback.request;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** The Idempotency-Key was already used with a different body. */
public class IdempotencyKeyReused extends ClinicException {
    public IdempotencyKeyReused() {
        super(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency key reused",
                "This Idempotency-Key was already used for a different request");
    }
}
