package clinic.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Every 429 the gateway gives, as {@code clinic.gateway.rate.limited} tagged {@code limit}:
 * {@code public_writes} (a client's bucket for anonymous bookings, callbacks, newsletter),
 * {@code login} (a client's bucket for sign-in) and {@code login_lockout} (too many failed
 * sign-ins for one username). All three exist from start, at zero.
 */
@Component
public class RateLimitMetrics {
    private final Counter publicWrites;
    private final Counter login;
    private final Counter loginLockout;

    RateLimitMetrics(MeterRegistry meters) {
        publicWrites = counter(meters, "public_writes");
        login = counter(meters, "login");
        loginLockout = counter(meters, "login_lockout");
    }

    private static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder("clinic.gateway.rate.limited").tag("limit", limit)
                .description("Requests refused with 429 by a gateway limit").register(meters);
    }

    void publicWrites() {
        publicWrites.increment();
    }

    void login() {
        login.increment();
    }

    /** A username locked out after too many failed sign-ins. */
    public void loginLockout() {
        loginLockout.increment();
    }
}
