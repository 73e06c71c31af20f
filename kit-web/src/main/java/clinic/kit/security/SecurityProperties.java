package clinic.kit.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service checks tokens. Only the issuer (the gateway) holds a private key; every service
 * verifies with the issuer's public keys (JWKS).
 *
 * @param issuer       the {@code iss} every token must carry
 * @param jwkSetUri    the issuer's {@code /.well-known/jwks.json} (the gateway's internal address)
 * @param jwks         the public keys inline (a JWK set as JSON), instead of {@code jwkSetUri}: tests
 *                     and the issuer itself
 * @param jwksCacheFor how long fetched public keys are trusted before they are fetched again; a
 *                     withdrawn key is refused by every service at most this long after withdrawal
 * @param jwksMinRefetch a token with an unknown {@code kid} fetches the keys again at most this often
 *                     (a flood of made-up {@code kid}s must not become a flood of fetches)
 * @param tokenUri     the issuer's token endpoint, for this service's own client-credentials token
 * @param clientSecret this service's client secret at the issuer (its client id is its
 *                     {@code spring.application.name}); only services that call others need one
 */
@ConfigurationProperties("clinic.security")
public record SecurityProperties(
        @DefaultValue("clinic-gateway") String issuer,
        String jwkSetUri,
        String jwks,
        @DefaultValue("30s") Duration jwksCacheFor,
        @DefaultValue("5s") Duration jwksMinRefetch,
        String tokenUri,
        String clientSecret) {
}
