package clinic.gateway.issuer;

import clinic.kit.security.KitSecurity;
import clinic.kit.security.RefreshingJwkSource;
import clinic.kit.security.SecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IssuerProperties.class)
class IssuerConfiguration {

    @Bean
    KeyCipher keyCipher(IssuerProperties props, Environment env) {
        return new KeyCipher(props.keyEncryptionKey(), Arrays.asList(env.getActiveProfiles()).contains("local"));
    }

    @Bean
    SigningKeys signingKeys(DatabaseClient db, ReactiveTransactionManager tm, KeyCipher cipher, IssuerProperties props,
                            Clock clock) {
        return new SigningKeys(db, TransactionalOperator.create(tm), cipher, props, clock);
    }

    @Bean
    TokenIssuer tokenIssuer(SigningKeys keys, IssuerProperties props, SecurityProperties security, Clock clock) {
        return new TokenIssuer(keys, props, security, clock);
    }

    /**
     * The gateway checks tokens with its own keys, read in-process (no HTTP to itself), with the same
     * rules as every service (KitSecurity.decoder). A withdrawn key is refused here as soon as this
     * instance re-reads the keys (at once on the instance that withdrew it).
     */
    @Bean
    ReactiveJwtDecoder clinicJwtDecoder(SigningKeys keys, SecurityProperties security, Clock clock,
                                        org.springframework.beans.factory.ObjectProvider<
                                                org.springframework.security.oauth2.core.OAuth2TokenValidator<
                                                        org.springframework.security.oauth2.jwt.Jwt>> checks) {
        RefreshingJwkSource source = new RefreshingJwkSource(() -> keys.ring().map(SigningKeys.Ring::published),
                Duration.ZERO, Duration.ZERO, clock);
        // Plus the gateway's own checks (tokens of disabled accounts).
        return KitSecurity.decoder(source, security.issuer(), clock, checks.orderedStream().toList());
    }
}
