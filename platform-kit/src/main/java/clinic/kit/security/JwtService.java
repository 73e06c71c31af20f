package clinic.kit.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Signs and verifies access tokens (HS256). Verification accepts only HS256 signed by our key,
 * from our issuer, not expired: {@code alg: none}, other algorithms and forged signatures fail.
 */
public class JwtService {
    private final byte[] key;
    private final String issuer;
    private final Clock clock;

    public JwtService(String secret, String issuer, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("clinic.security.jwt-secret (CLINIC_JWT_SECRET) must be at least 32 bytes");
        }
        this.key = secret.getBytes(StandardCharsets.UTF_8);
        this.issuer = issuer;
        this.clock = clock;
    }

    public String issue(String subject, Set<String> roles, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("roles", List.copyOf(roles))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** The principal of a valid token; empty for anything else (the reason is not the caller's business). */
    public Optional<ClinicPrincipal> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) return Optional.empty();
            if (!jwt.verify(new MACVerifier(key))) return Optional.empty();
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!issuer.equals(c.getIssuer())) return Optional.empty();
            if (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            List<String> roles = c.getStringListClaim("roles");
            if (c.getSubject() == null || roles == null) return Optional.empty();
            return Optional.of(new ClinicPrincipal(c.getSubject(), new LinkedHashSet<>(roles)));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
