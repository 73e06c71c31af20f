package clinic.gateway.account;

import clinic.gateway.auth.AuthProperties;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccountProperties.class)
class AccountConfiguration {
    private static final Pattern BCRYPT = Pattern.compile("(\\{bcrypt})?\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    /**
     * New hashes are bcrypt with the {@code {bcrypt}} prefix, so a later switch (argon2) is a change
     * of default, not a migration; the configured demo users' bare {@code $2a$} hashes still match.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        DelegatingPasswordEncoder encoder = (DelegatingPasswordEncoder) PasswordEncoderFactories.createDelegatingPasswordEncoder();
        encoder.setDefaultPasswordEncoderForMatches(new BCryptPasswordEncoder());
        return encoder;
    }

    /**
     * Before anything is served: the configured users (the local profile's three demo users; none in
     * production) exist, a first admin is invited when configured and none exists, and the list of
     * disabled accounts is read.
     */
    @Bean
    ApplicationRunner accountsAtStart(Accounts accounts, AuthProperties auth, AccountProperties props,
                                      DisabledAccounts disabled) {
        for (AuthProperties.User u : auth.users()) {
            if (u.username() == null || u.username().isBlank() || u.passwordHash() == null
                    || !BCRYPT.matcher(u.passwordHash()).matches() || u.roles() == null || u.roles().isEmpty()
                    || !clinic.kit.security.AccessRules.USER_ROLES.containsAll(u.roles())) {
                throw new IllegalStateException("clinic.gateway.users: user '" + u.username()
                        + "' needs a bcrypt password-hash and roles from " + clinic.kit.security.AccessRules.USER_ROLES);
            }
        }
        return args -> Flux.fromIterable(auth.users())
                .concatMap(u -> accounts.ensure(u.username(), u.username().replaceAll("@.*", ""),
                        List.copyOf(u.roles()), u.passwordHash()))
                .then(props.firstAdminEmail() == null || props.firstAdminEmail().isBlank() ? Mono.empty()
                        : accounts.inviteFirstAdmin(props.firstAdminEmail()))
                .then(disabled.refresh())
                .block(Duration.ofMinutes(1));
    }
}
