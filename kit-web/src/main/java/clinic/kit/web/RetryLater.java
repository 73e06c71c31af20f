package clinic.kit.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal that says when to ask again: the problem goes out with {@code Retry-After} (seconds),
 * by whichever door it leaves ({@link ProblemHandling}). Busy services (503) and spent rate limits
 * (429) are both this.
 */
public abstract class RetryLater extends ClinicException {
    private final long retryAfterSeconds;

    protected RetryLater(HttpStatus status, String code, String title, String detail, long retryAfterSeconds) {
        super(status, code, title, detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
