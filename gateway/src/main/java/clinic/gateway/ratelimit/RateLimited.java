package clinic.gateway.ratelimit;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** The client has used up its allowance for now; {@link #retryAfterSeconds()} says for how long. */
public class RateLimited extends ClinicException {
    private final long retryAfterSeconds;

    public RateLimited(long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "Too many requests",
                "Too many requests; try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
