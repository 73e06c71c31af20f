package clinic.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every 429 the gateway gives, as {@code clinic.gateway.rate.limited} tagged {@code limit}:
 * {@code public_writes} (a client's bucket for anonymous bookings, callbacks, newsletter),
 * {@code login} (a client's bucket for sign-in) and {@code login_lockout} (too many failed
 * sign-ins for one username). All three exist from start, at zero.
 *
 * <p>Decisions the shared store could not make in time, as {@code clinic.gateway.rate.limit.store.failures}
 * tagged {@code limit} and {@code outcome}: {@code allowed} (public writes fail open) or
 * {@code refused} (sign-in fails closed, 503).
 */
@Component
public class RateLimitMetrics {
    private static final Logger log = LoggerFactory.getLogger(RateLimitMetrics.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final Counter publicWrites;
    private final Counter login;
    private final Counter loginLockout;
    private final Counter publicWritesStoreFailures;
    private final Counter loginStoreFailures;
    private final Counter loginLockoutStoreFailures;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    RateLimitMetrics(MeterRegistry meters) {
        publicWrites = counter(meters, "public_writes");
        login = counter(meters, "login");
        loginLockout = counter(meters, "login_lockout");
        publicWritesStoreFailures = storeFailures(meters, "public_writes", "allowed");
        loginStoreFailures = storeFailures(meters, "login", "refused");
        loginLockoutStoreFailures = storeFailures(meters, "login_lockout", "refused");
    }

    private static Counter counter(MeterRegistry meters, String limit) {
        return Counter.builder("clinic.gateway.rate.limited").tag("limit", limit)
                .description("Requests refused with 429 by a gateway limit").register(meters);
    }

    private static Counter storeFailures(MeterRegistry meters, String limit, String outcome) {
        return Counter.builder("clinic.gateway.rate.limit.store.failures").tag("limit", limit).tag("outcome", outcome)
                .description("Limit decisions the shared database could not make in time").register(meters);
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

    /**
     * A decision the store could not make: counted every time, logged at most every 10 s (a database
     * outage would otherwise write a line per request).
     */
    public void storeFailure(String limit, Throwable cause) {
        switch (limit) {
            case "public_writes" -> publicWritesStoreFailures.increment();
            case "login" -> loginStoreFailures.increment();
            default -> loginLockoutStoreFailures.increment();
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("shared limits unavailable ({}): public writes go ahead unlimited, sign-ins are refused "
                    + "(clinic.gateway.rate.limit.store.failures counts each)", cause.toString());
        }
    }
}
