package clinic.kit.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param jwtSecret HS256 key shared by the gateway (which signs) and the services (which verify);
 *                  at least 32 bytes. Outside the {@code local} profile it must be set and must
 *                  not be the development key.
 * @param tokenTtl  lifetime of an access token
 * @param issuer    the {@code iss} every token carries
 */
@ConfigurationProperties("clinic.security")
public record SecurityProperties(
        String jwtSecret,
        @DefaultValue("15m") Duration tokenTtl,
        @DefaultValue("clinic-gateway") String issuer) {

    /** Development key: accepted only with the local profile active. */
    public static final String DEVELOPMENT_KEY = "local-development-signing-key-do-not-use-in-production";
}
