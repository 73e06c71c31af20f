package clinic.gateway.ratelimit;

import reactor.core.publisher.Mono;

/** One limit (public writes, sign-in) as token buckets per client, kept in {@link SharedBuckets}. */
public final class ClientRateLimiter {
    private final String name;
    private final RateLimitProperties.Limit limit;
    private final SharedBuckets buckets;

    public ClientRateLimiter(String name, RateLimitProperties.Limit limit, SharedBuckets buckets) {
        this.name = name;
        this.limit = limit;
        this.buckets = buckets;
    }

    /** 0 when the request may go ahead, else the whole seconds the client should wait (at least 1). */
    public Mono<Long> acquire(String client) {
        return buckets.take(LimitKeys.of(name, client), limit)
                .map(waitNanos -> waitNanos == 0 ? 0L : Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }

    public String name() {
        return name;
    }
}
