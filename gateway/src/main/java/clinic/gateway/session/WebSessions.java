package clinic.gateway.session;

import clinic.gateway.account.Accounts;
import clinic.gateway.account.DisabledAccounts;
import clinic.gateway.issuer.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Web sessions in the gateway's database, shared by every instance. The cookie value (256 random
 * bits) is stored only as a SHA-256. Each instance caches a session it has seen, with the access
 * token it issued for it, and goes back to the database at most every {@code touch-every}: that one
 * statement checks the session (idle, absolute end, account still enabled, current roles) and
 * writes its last use, so the sliding expiry costs one write per session per interval, not per
 * request. Between visits the cache is checked against the absolute end and against the disabled
 * accounts the gateway already tracks (at once on this instance, within seconds on the others).
 */
@Service
public class WebSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A cached token is replaced this long before it expires, so none reaches a service nearly dead. */
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(2);
    private static final int SWEEP_CACHE_ABOVE = 10_000;

    /** A signed-in session as the pages see it. */
    public record Active(String username, List<String> roles, String csrfToken, Instant expiresAt,
                         Instant idleExpiresAt) {}

    /** A new session: the cookie value goes to the browser once and is never stored. */
    public record Created(String cookieValue, Active active) {}

    private static final class Entry {
        final Active active;
        final Instant checkedAt;
        volatile String token;
        volatile Instant tokenExpires;

        Entry(Active active, Instant checkedAt) {
            this.active = active;
            this.checkedAt = checkedAt;
        }
    }

    private final DatabaseClient db;
    private final SessionProperties props;
    private final TokenIssuer issuer;
    private final DisabledAccounts disabled;
    private final SessionTime time;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    WebSessions(DatabaseClient db, SessionProperties props, TokenIssuer issuer, DisabledAccounts disabled,
                ObjectProvider<SessionTime> time, Clock clock) {
        this.db = db;
        this.props = props;
        this.issuer = issuer;
        this.disabled = disabled;
        this.clock = clock;
        this.time = time.getIfAvailable(() -> clock::instant);
    }

    public Duration idleTimeout() {
        return props.idleTimeout();
    }

    /** Starts a session for an account whose password has just been checked. */
    public Mono<Created> create(String username, List<String> roles) {
        String email = Accounts.normalise(username);
        Instant now = time.now();
        String value = random();
        String csrf = random();
        Active active = new Active(email, sorted(roles), csrf, now.plus(props.absoluteLifetime()), now.plus(props.idleTimeout()));
        // Sign-ins are rare: a good moment to drop the sessions that have ended, whoever's they were.
        return db.sql("delete from web_session where expires_at <= :now or last_seen_at <= :idle")
                .bind("now", at(now)).bind("idle", at(now.minus(props.idleTimeout()))).then()
                .then(db.sql("insert into web_session (id_hash, account_email, csrf_token, created_at, last_seen_at, expires_at) "
                                + "values (:h, :e, :c, :now, :now, :exp)")
                        .bind("h", sha256(value)).bind("e", email).bind("c", csrf).bind("now", at(now))
                        .bind("exp", at(active.expiresAt())).then())
                .doOnSuccess(v -> cache.put(sha256(value), new Entry(active, now)))
                .thenReturn(new Created(value, active));
    }

    /** The session behind a cookie value, its use recorded; empty when it is unknown or has ended. */
    public Mono<Active> resolve(String cookieValue) {
        String hash = sha256(cookieValue);
        Instant now = time.now();
        Entry e = cache.get(hash);
        if (e != null && now.isBefore(e.checkedAt.plus(props.effectiveTouchEvery()))) {
            if (now.isBefore(e.active.expiresAt()) && !disabled.isDisabled(e.active.username())) {
                return Mono.just(e.active);
            }
            cache.remove(hash);
            return Mono.empty();
        }
        return touch(hash, now).map(a -> {
            if (cache.size() > SWEEP_CACHE_ABOVE) sweep(now);
            Entry fresh = new Entry(a, now);
            if (e != null && e.active.roles().equals(a.roles())) {
                fresh.token = e.token; // same person, same roles: the token issued still says the truth
                fresh.tokenExpires = e.tokenExpires;
            }
            cache.put(hash, fresh);
            return a;
        }).switchIfEmpty(Mono.defer(() -> {
            // Ended (or its account disabled): the row goes too, so nothing can bring it back.
            cache.remove(hash);
            return db.sql("delete from web_session where id_hash = :h").bind("h", hash).then().then(Mono.empty());
        }));
    }

    /** A bearer token for the session's user (cached until shortly before it expires). */
    public Mono<String> token(String cookieValue, Active active) {
        Entry e = cache.get(sha256(cookieValue));
        Instant now = clock.instant();
        if (e != null && e.token != null && now.isBefore(e.tokenExpires.minus(TOKEN_MARGIN))) return Mono.just(e.token);
        return issuer.user(active.username(), active.roles()).doOnNext(t -> {
            if (e != null) {
                e.tokenExpires = now.plus(issuer.userTokenTtl());
                e.token = t;
            }
        });
    }

    /** Signs out: the row goes, so no instance accepts the cookie after its next look (at once here). */
    public Mono<Void> delete(String cookieValue) {
        String hash = sha256(cookieValue);
        cache.remove(hash);
        return db.sql("delete from web_session where id_hash = :h").bind("h", hash).then();
    }

    private Mono<Active> touch(String hash, Instant now) {
        // One statement: still within both limits, account still enabled, and the use written.
        return db.sql("update web_session s set last_seen_at = :now from account a "
                        + "where s.id_hash = :h and a.email = s.account_email and a.disabled_at is null "
                        + "and s.last_seen_at > :idle and s.expires_at > :now "
                        + "returning a.email, a.roles, s.csrf_token, s.expires_at")
                .bind("now", at(now)).bind("h", hash).bind("idle", at(now.minus(props.idleTimeout())))
                .map((r, m) -> new Active(r.get("email", String.class), sorted(Arrays.asList(r.get("roles", String[].class))),
                        r.get("csrf_token", String.class), r.get("expires_at", OffsetDateTime.class).toInstant(),
                        now.plus(props.idleTimeout())))
                .one()
                .filter(a -> !disabled.isDisabled(a.username()));
    }

    private void sweep(Instant now) {
        cache.entrySet().removeIf(en -> !now.isBefore(en.getValue().checkedAt.plus(props.idleTimeout()))
                || !now.isBefore(en.getValue().active.expiresAt()));
    }

    private static List<String> sorted(List<String> roles) {
        return List.copyOf(new TreeSet<>(roles));
    }

    private static String random() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
