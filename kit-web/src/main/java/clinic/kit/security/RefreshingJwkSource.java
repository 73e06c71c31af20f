package clinic.kit.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The issuer's public keys, fetched and kept for a while. Spring's own remote JWK source keeps a
 * fetched set for ever (it refetches only for an unknown {@code kid}), so a withdrawn key would
 * stay trusted until a restart; here the set expires after {@code cacheFor}, and an unknown
 * {@code kid} fetches again at most every {@code minRefetch}, so made-up kids cannot turn into a
 * flood of requests to the issuer. A token without a {@code kid} matches no key.
 */
public final class RefreshingJwkSource implements Function<SignedJWT, Flux<JWK>> {
    private record Fetched(JWKSet keys, Instant at) {}

    private final Supplier<Mono<JWKSet>> fetch;
    private final Duration cacheFor;
    private final Duration minRefetch;
    private final Clock clock;
    private volatile Fetched current;
    /** One fetch at a time: concurrent requests share it. */
    private volatile Mono<Fetched> inFlight;

    public RefreshingJwkSource(Supplier<Mono<JWKSet>> fetch, Duration cacheFor, Duration minRefetch, Clock clock) {
        this.fetch = fetch;
        this.cacheFor = cacheFor;
        this.minRefetch = minRefetch;
        this.clock = clock;
    }

    @Override
    public Flux<JWK> apply(SignedJWT jwt) {
        return key(jwt.getHeader().getKeyID()).flux();
    }

    /** The trusted key with this {@code kid}, fetched again by the same rules as for a new token; empty if none. */
    Mono<JWK> key(String kid) {
        if (kid == null) return Mono.empty();
        Instant now = clock.instant();
        Fetched f = current;
        Mono<Fetched> keys;
        if (f == null || f.at().plus(cacheFor).isBefore(now)) {
            keys = refresh();
        } else if (f.keys().getKeyByKeyId(kid) == null && f.at().plus(minRefetch).isBefore(now)) {
            keys = refresh(); // perhaps a key introduced since we last looked
        } else {
            keys = Mono.just(f);
        }
        return keys.mapNotNull(k -> k.keys().getKeyByKeyId(kid));
    }

    private synchronized Mono<Fetched> refresh() {
        Mono<Fetched> running = inFlight;
        if (running != null) return running;
        Mono<Fetched> m = Mono.defer(fetch)
                .map(k -> new Fetched(k, clock.instant()))
                .doOnNext(k -> current = k)
                .doFinally(s -> {
                    synchronized (this) {
                        inFlight = null;
                    }
                })
                .cache();
        inFlight = m;
        return m;
    }
}
