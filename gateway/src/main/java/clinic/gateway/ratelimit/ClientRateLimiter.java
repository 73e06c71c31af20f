package clinic.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets keyed by client. Full buckets are dropped once the map grows, so a flood of
 * distinct addresses costs memory only while those clients are actually being limited.
 */
public final class ClientRateLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final RateLimitProperties.Limit limit;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(RateLimitProperties.Limit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /** 0 when the request may go ahead, else the whole seconds the client should wait (at least 1). */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue().isFull(now));
        }
        TokenBucket bucket = buckets.computeIfAbsent(client, c -> new TokenBucket(limit.burst(), limit.perSecond(), now));
        long waitNanos = bucket.tryTake(now);
        if (waitNanos == 0) return 0;
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
