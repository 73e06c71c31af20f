package clinic.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.testsupport.TestClock;
import clinic.testsupport.TestTokens;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * A token's signature is checked once; every later use still re-checks what can change while it is
 * remembered (expiry and the other validators, whether its key is still trusted), and a token that only
 * claims the same things as a remembered one is checked in full.
 */
class RememberedTokensTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final TestClock clock = TestClock.frozenAt(Instant.parse("2026-12-07T12:00:00Z"));
    private final TestTokens tokens = new TestTokens(clock);
    /** What the issuer publishes right now; a test withdraws the key by emptying it. */
    private final AtomicReference<JWKSet> published = new AtomicReference<>(parse(TestTokens.publicJwks()));
    /** Keys re-read on every use (the gateway's setting), so a withdrawal is seen at once. */
    private final RefreshingJwkSource keys = new RefreshingJwkSource(() -> Mono.just(published.get()),
            Duration.ZERO, Duration.ZERO, clock);
    private final ReactiveJwtDecoder decoder = KitSecurity.decoder(keys, TestTokens.ISSUER, clock, List.of());

    @Test
    void aTokensSignatureIsCheckedOnceAndItsLaterUsesGetTheSameClaims() {
        AtomicInteger fullChecks = new AtomicInteger();
        ReactiveJwtDecoder counting = token -> {
            fullChecks.incrementAndGet();
            return decoder.decode(token);
        };
        RememberedTokens remembered = new RememberedTokens(counting, keys, jwt -> org.springframework.security
                .oauth2.core.OAuth2TokenValidatorResult.success());
        String token = tokens.service("notification-service", "callback-service", Duration.ofMinutes(5));

        Jwt first = remembered.decode(token).block(TIMEOUT);
        Jwt again = remembered.decode(token).block(TIMEOUT);
        remembered.decode(token).block(TIMEOUT);

        assertThat(fullChecks).hasValue(1);
        assertThat(again.getSubject()).isEqualTo("notification-service").isEqualTo(first.getSubject());
        assertThat(again.getAudience()).containsExactly("callback-service");
        assertThat(remembered.size()).isEqualTo(1);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String token = tokens.service("notification-service", "callback-service", Duration.ofMinutes(5));
        assertThat(decoder.decode(token).block(TIMEOUT).getSubject()).isEqualTo("notification-service");

        // Past expiry and the validator's minute of allowed skew.
        clock.advance(Duration.ofMinutes(7));
        assertThatThrownBy(() -> decoder.decode(token).block(TIMEOUT))
                .isInstanceOf(JwtException.class).hasMessageContaining("expired");
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsWithdrawn() {
        String token = tokens.issue("reception", Set.of("STAFF"), Duration.ofMinutes(15));
        assertThat(decoder.decode(token).block(TIMEOUT).getSubject()).isEqualTo("reception");

        published.set(new JWKSet());
        clock.advance(Duration.ofSeconds(1)); // the key source re-reads once its (zero) cache time has passed
        assertThatThrownBy(() -> decoder.decode(token).block(TIMEOUT)).isInstanceOf(JwtException.class);
    }

    @Test
    void aRememberedTokenIsRefusedWhenItsKidNowNamesAnotherKey() {
        String token = tokens.issue("reception", Set.of("STAFF"), Duration.ofMinutes(15));
        assertThat(decoder.decode(token).block(TIMEOUT).getSubject()).isEqualTo("reception");

        published.set(new JWKSet(TestTokens.generate("test-key-1").toPublicJWK()));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> decoder.decode(token).block(TIMEOUT)).isInstanceOf(JwtException.class);
    }

    @Test
    void aTokenWithTheSameClaimsButAnotherSignatureIsCheckedInFull() throws Exception {
        String token = tokens.service("notification-service", "callback-service", Duration.ofMinutes(5));
        decoder.decode(token).block(TIMEOUT);

        // Same header and claims, signed by a key nobody trusts under the trusted key's kid.
        String[] parts = token.split("\\.");
        String forged = TestTokens.untrusted("test-key-1").service("notification-service", "callback-service",
                Duration.ofMinutes(5));
        String spliced = parts[0] + "." + parts[1] + "." + forged.split("\\.")[2];
        assertThatThrownBy(() -> decoder.decode(spliced).block(TIMEOUT)).isInstanceOf(JwtException.class);
        // The genuine one still passes.
        assertThat(decoder.decode(token).block(TIMEOUT).getSubject()).isEqualTo("notification-service");
    }

    private static JWKSet parse(String jwks) {
        try {
            return JWKSet.parse(jwks);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
