package clinic.gateway.issuer;

import clinic.kit.security.AccessRules;
import clinic.kit.security.KitSecurity;
import clinic.kit.security.SecurityProperties;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Signs access tokens with the current key (ES256, {@code kid} in the header). */
public class TokenIssuer {
    private final SigningKeys keys;
    private final IssuerProperties props;
    private final String issuer;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, IssuerProperties props, SecurityProperties security, Clock clock) {
        this.keys = keys;
        this.props = props;
        this.issuer = security.issuer();
        this.clock = clock;
    }

    public Duration userTokenTtl() {
        return props.tokenTtl();
    }

    public Duration serviceTokenTtl() {
        return props.serviceTokenTtl();
    }

    /** A person's token: {@code sub} is the username, {@code roles} theirs. */
    public Mono<String> user(String username, Collection<String> roles) {
        return sign(claims(username, roles, props.tokenTtl()).build());
    }

    /** A service's token for calls to {@code audience} only. */
    public Mono<String> service(String clientId, String audience) {
        return sign(claims(clientId, List.of(AccessRules.SERVICE), props.serviceTokenTtl()).audience(audience).build());
    }

    private JWTClaimsSet.Builder claims(String subject, Collection<String> roles, Duration ttl) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .claim(KitSecurity.ROLES_CLAIM, List.copyOf(roles));
    }

    private Mono<String> sign(JWTClaimsSet claims) {
        return keys.signing().map(key -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid())
                        .type(JOSEObjectType.JWT).build(), claims);
                jwt.sign(new ECDSASigner(key.key()));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign a token", e);
            }
        });
    }
}
