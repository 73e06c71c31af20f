package clinic.gateway.ratelimit;

import java.time.Instant;

/**
 * The time source of the token buckets: wall-clock nanoseconds since the epoch, because every
 * gateway instance writes the same rows and a monotonic clock means nothing on another machine.
 * Replaceable so tests control time.
 */
@FunctionalInterface
public interface Ticker {
    long nanoTime();

    Ticker SYSTEM = () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };

    default Instant instant() {
        return Instant.ofEpochSecond(0, nanoTime());
    }
}
