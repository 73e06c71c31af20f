package clinic.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Tokens for module tests, signed like the issuer signs them (ES256 with a {@code kid}) by a key
 * made once per test JVM; {@link TestInfra#register} makes the service under test trust exactly
 * that key's public half. Also the bad tokens the tests throw at services.
 */
public final class TestTokens {
    public static final String ISSUER = "clinic-gateway";
    private static final ECKey KEY = generate("test-key-1");

    private final Clock clock;
    private final ECKey key;

    public TestTokens(Clock clock) {
        this(clock, KEY);
    }

    private TestTokens(Clock clock, ECKey key) {
        this.clock = clock;
        this.key = key;
    }

    public TestTokens() {
        this(Clock.systemUTC());
    }

    /** Tokens signed by a key nobody trusts, under the given {@code kid} (a forged or unknown key). */
    public static TestTokens untrusted(String kid) {
        return new TestTokens(Clock.systemUTC(), generate(kid));
    }

    /** The public JWK set a service under test verifies with. */
    public static String publicJwks() {
        return new JWKSet(KEY.toPublicJWK()).toString();
    }

    public static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user's token ({@code sub} = username). */
    public String issue(String subject, Set<String> roles, Duration ttl) {
        return sign(claims(subject, roles, ttl).build());
    }

    /** A service's client-credentials token for calls to {@code audience}. */
    public String service(String subject, String audience, Duration ttl) {
        return sign(claims(subject, Set.of("SERVICE"), ttl).audience(audience).build());
    }

    private JWTClaimsSet.Builder claims(String subject, Set<String> roles, Duration ttl) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .subject(subject).issuer(ISSUER).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .claim("roles", List.copyOf(roles));
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the platform signed before the issuer: HS256 with a shared secret. */
    public static String hs256(String secret, String subject, Set<String> roles) {
        try {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(subject).issuer(ISSUER).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(300))).claim("roles", List.copyOf(roles)).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token with the right claims and no signature at all ({@code alg: none}). */
    public static String unsigned(String subject, Set<String> roles) {
        return new PlainJWT(new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("roles", List.copyOf(roles)).build()).serialize();
    }
}
