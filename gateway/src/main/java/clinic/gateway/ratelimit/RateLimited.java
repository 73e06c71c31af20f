package clinic.gateway.ratelimit;

import clinic.kit.web.RetryLater;
import org.springframework.http.HttpStatus;

/**
 * The client has used up its allowance for now; {@link #retryAfterSeconds()} says for how long (the
 * kit sends it as {@code Retry-After}, from a controller or a filter alike).
 */
public class RateLimited extends RetryLater {
    public RateLimited(long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Too many requests",
                "Too many requests; try again in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
