package clinic.kit.web;

import org.springframework.http.HttpStatus;

/**
 * 503 {@code service_unavailable} "Busy", with {@code Retry-After}: the service is refusing work it
 * could not finish in good time, before starting it. Nothing was changed, so the client may send
 * the same request again after the pause (with the same Idempotency-Key, if it used one).
 */
public class Busy extends RetryLater {
    public Busy(String detail, long retryAfterSeconds) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "Busy", detail, retryAfterSeconds);
    }
}
