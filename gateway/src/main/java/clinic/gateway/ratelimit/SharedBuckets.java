package clinic.gateway.ratelimit;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Token buckets in the gateway's database, shared by every gateway instance (docs/adr/0009). A
 * decision is one statement: the row is created full minus the token taken, or refilled from the
 * time elapsed and a token taken when there is one. PostgreSQL's row lock on the conflicting key
 * serialises racing decisions on one bucket, so N parallel requests never take more than it holds.
 */
@Component
public class SharedBuckets implements ExpiringLimit {
    private static final int PRUNE_BATCH = 5_000;

    // The token count after refill is written out three times: a SET cannot name a computed value,
    // and a second statement would be a second round trip and a race.
    private static final String TAKE = """
            insert into rate_bucket as b (bucket, tokens, updated_at, granted, full_at)
            values (:bucket, :burst - 1, cast(:now as timestamptz), true,
                    cast(:now as timestamptz) + make_interval(secs => 1 / :rate))
            on conflict (bucket) do update set (tokens, updated_at, granted, full_at) = (
                select case when r.avail >= 1 then r.avail - 1 else r.avail end,
                       greatest(b.updated_at, cast(:now as timestamptz)),
                       r.avail >= 1,
                       greatest(b.updated_at, cast(:now as timestamptz)) + make_interval(secs =>
                           (:burst - case when r.avail >= 1 then r.avail - 1 else r.avail end) / :rate)
                from (select least(cast(:burst as float8), b.tokens + :rate * greatest(0,
                          extract(epoch from cast(:now as timestamptz) - b.updated_at))) as avail) r)
            returning granted, tokens""";

    private final DatabaseClient db;
    private final Ticker ticker;

    SharedBuckets(DatabaseClient db, org.springframework.beans.factory.ObjectProvider<Ticker> ticker) {
        this.db = db;
        this.ticker = ticker.getIfAvailable(() -> Ticker.SYSTEM);
    }

    /**
     * Takes a token from {@code key}'s bucket: 0 when granted, else the nanoseconds until one will be
     * there. Errors (the database away) are the caller's to decide on.
     */
    public Mono<Long> take(String key, RateLimitProperties.Limit limit) {
        return db.sql(TAKE)
                .bind("bucket", key)
                .bind("burst", (double) limit.burst())
                .bind("rate", limit.perSecond())
                .bind("now", ticker.instant())
                .map(row -> {
                    if (Boolean.TRUE.equals(row.get("granted", Boolean.class))) return 0L;
                    double tokens = row.get("tokens", Double.class);
                    return (long) Math.ceil((1 - tokens) / limit.perSecond() * 1_000_000_000d);
                })
                .one();
    }

    /** Full buckets say nothing a missing row would not; SKIP LOCKED lets every instance run this at once. */
    @Override
    public Mono<Long> prune() {
        return db.sql("""
                        delete from rate_bucket where bucket in (
                            select bucket from rate_bucket where full_at < :now
                            limit %d for update skip locked)""".formatted(PRUNE_BATCH))
                .bind("now", ticker.instant())
                .fetch().rowsUpdated();
    }

    @Override
    public String name() {
        return "full rate-limit buckets";
    }
}
