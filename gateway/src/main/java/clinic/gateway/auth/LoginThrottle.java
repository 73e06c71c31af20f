package clinic.gateway.auth;

import clinic.gateway.ratelimit.ExpiringLimit;
import clinic.gateway.ratelimit.LimitKeys;
import clinic.gateway.ratelimit.LimitStoreUnavailable;
import clinic.gateway.ratelimit.RateLimitMetrics;
import clinic.gateway.ratelimit.RateLimitProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Failed sign-ins per username (known or not, so a 429 reveals nothing about which exist), counted
 * in the gateway's database so every gateway instance sees the same count (docs/adr/0009). An
 * attempt counts against the allowance from the moment it begins, as a failure, and a success
 * clears the username's row: a burst of parallel guesses, spread over instances or not, cannot slip
 * past the limit, and a decision is one statement. When the database does not answer in time the
 * attempt is refused (503): sign-in needs that database for the account too.
 */
@Component
class LoginThrottle implements ExpiringLimit {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    private static final int PRUNE_BATCH = 5_000;

    // Attempts older than the window are dropped from the row as it is read; the list is at most
    // max-failures long, so the row stays a few hundred bytes.
    private static final String BEGIN = """
            insert into login_attempt as a (username, attempts, granted, expires_at)
            values (:username, array[cast(:now as timestamptz)], true,
                    cast(:now as timestamptz) + make_interval(secs => :window))
            on conflict (username) do update set (attempts, granted, expires_at) = (
                select case when cardinality(k.kept) < :max then k.kept || cast(:now as timestamptz) else k.kept end,
                       cardinality(k.kept) < :max,
                       case when cardinality(k.kept) < :max
                            then greatest(a.expires_at, cast(:now as timestamptz) + make_interval(secs => :window))
                            else a.expires_at end
                from (select array(select t from unnest(a.attempts) t
                                   where t > cast(:now as timestamptz) - make_interval(secs => :window)
                                   order by t) as kept) k)
            returning granted, attempts[1] as oldest""";

    private final DatabaseClient db;
    private final int maxFailures;
    private final Duration window;
    private final Duration storeTimeout;
    private final RateLimitMetrics metrics;
    private final Clock clock;

    LoginThrottle(DatabaseClient db, AuthProperties props, RateLimitProperties limits, RateLimitMetrics metrics,
                  Clock clock) {
        this.db = db;
        this.maxFailures = props.lockout().maxFailures();
        this.window = props.lockout().window();
        this.storeTimeout = limits.storeTimeout();
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Empty when the attempt may go ahead (then {@link #succeeded} when it does), else how long to
     * wait; {@link LimitStoreUnavailable} when the database does not answer in time.
     */
    Mono<Optional<Duration>> begin(String username) {
        Instant now = clock.instant();
        return db.sql(BEGIN)
                .bind("username", key(username))
                .bind("now", now)
                .bind("window", window.toNanos() / 1e9)
                .bind("max", maxFailures)
                .map(row -> Boolean.TRUE.equals(row.get("granted", Boolean.class)) ? Optional.<Duration>empty()
                        : Optional.of(Duration.between(now, row.get("oldest", OffsetDateTime.class).toInstant().plus(window))))
                .one()
                .timeout(storeTimeout)
                .onErrorMap(e -> !(e instanceof LimitStoreUnavailable), e -> {
                    metrics.storeFailure("login_lockout", e);
                    return new LimitStoreUnavailable();
                });
    }

    /** The password was right: the username's count starts again (as it did before the database). */
    Mono<Void> succeeded(String username) {
        return db.sql("delete from login_attempt where username = :username")
                .bind("username", key(username))
                .then()
                .timeout(storeTimeout)
                // The attempt stays counted until the window passes: harmless, and no reason to refuse a sign-in.
                .onErrorResume(e -> {
                    log.warn("cannot clear a sign-in's attempts: {}", e.toString());
                    return Mono.empty();
                });
    }

    @Override
    public Mono<Long> prune() {
        return db.sql("""
                        delete from login_attempt where username in (
                            select username from login_attempt where expires_at < :now
                            limit %d for update skip locked)""".formatted(PRUNE_BATCH))
                .bind("now", clock.instant())
                .fetch().rowsUpdated();
    }

    @Override
    public String name() {
        return "expired sign-in attempt counts";
    }

    private static String key(String username) {
        return LimitKeys.of("login_lockout", username);
    }
}
