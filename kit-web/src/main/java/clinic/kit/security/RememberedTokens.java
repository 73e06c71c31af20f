package clinic.kit.security;

import com.nimbusds.jose.jwk.JWK;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JoseHeaderNames;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Checks a bearer token once per token rather than once per request. A service token is sent on
 * every internal call for minutes, and its ES256 signature check was the largest single cost of
 * callback-service's contact reads (11 % of its CPU, docs/benchmarks.md, ninth session).
 *
 * <p>A token is remembered by its exact text (header, claims <em>and</em> signature), so a hit is the
 * same bytes that were verified, never a token that merely claims the same things. What can change
 * while it is remembered is checked again on every use: the validators (expiry, issuer, subject and
 * roles, and the caller's own, such as the gateway's disabled-account check) and whether the key
 * that verified it is still trusted (a withdrawn key refuses its tokens as soon as the key source
 * learns of it, as before). Any doubt goes back to the full check, so refusals keep their errors.
 */
final class RememberedTokens implements ReactiveJwtDecoder {
    /** Bound on remembered tokens; when full the map starts again (a token's next use verifies it anew). */
    static final int MAX_REMEMBERED = 4096;

    private record Verified(Jwt jwt, JWK key) {}

    private final ReactiveJwtDecoder verifier;
    private final RefreshingJwkSource keys;
    private final OAuth2TokenValidator<Jwt> validator;
    private final ConcurrentHashMap<String, Verified> remembered = new ConcurrentHashMap<>();

    RememberedTokens(ReactiveJwtDecoder verifier, RefreshingJwkSource keys, OAuth2TokenValidator<Jwt> validator) {
        this.verifier = verifier;
        this.keys = keys;
        this.validator = validator;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Verified v = remembered.get(token);
        if (v == null) return verifyAndRemember(token);
        return keys.key(kid(v.jwt()))
                .filter(k -> k.equals(v.key()) && !validator.validate(v.jwt()).hasErrors())
                .map(k -> v.jwt())
                .switchIfEmpty(Mono.defer(() -> {
                    remembered.remove(token);
                    return verifier.decode(token); // refused there, with the full check's own error
                }));
    }

    private Mono<Jwt> verifyAndRemember(String token) {
        return verifier.decode(token).flatMap(jwt -> keys.key(kid(jwt))
                .doOnNext(key -> {
                    if (remembered.size() >= MAX_REMEMBERED) remembered.clear();
                    remembered.put(token, new Verified(jwt, key));
                })
                .thenReturn(jwt));
    }

    private static String kid(Jwt jwt) {
        Object kid = jwt.getHeaders().get(JoseHeaderNames.KID);
        return kid == null ? null : kid.toString();
    }

    int size() {
        return remembered.size();
    }
}
