package clinic.gateway.ratelimit;

/** The time source of the token buckets (monotonic nanoseconds); replaceable so tests control time. */
@FunctionalInterface
public interface Ticker {
    long nanoTime();

    Ticker SYSTEM = System::nanoTime;
}
