package clinic.gateway.account;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Tokens of disabled accounts are refused at the gateway, the only door to the services (their
 * network policies admit nothing else). The set of disabled addresses is small and re-read every
 * {@code disabled-refresh} (10 s) in the background, so the check costs a set lookup per request,
 * and a disable on any instance is seen by all within that time; the instance that disabled sees
 * it at once. Services themselves do not check: a token lives 15 minutes, and the gateway's check
 * keeps within the contract's 60 s.
 */
@Component
public class DisabledAccounts implements OAuth2TokenValidator<Jwt> {
    private static final Logger log = LoggerFactory.getLogger(DisabledAccounts.class);

    private final DatabaseClient db;
    private final AccountProperties props;
    private final Clock clock;
    private volatile Set<String> disabled = Set.of();
    private volatile Instant readAt = Instant.MIN;
    private final AtomicBoolean reading = new AtomicBoolean();

    DisabledAccounts(DatabaseClient db, AccountProperties props, Clock clock) {
        this.db = db;
        this.props = props;
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        refreshIfDue();
        String subject = jwt.getSubject();
        if (subject != null && disabled.contains(Accounts.normalise(subject))) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "account disabled", null));
        }
        return OAuth2TokenValidatorResult.success();
    }

    /** For the web sessions (clinic.gateway.session): a disabled account's session is refused at once here too. */
    public boolean isDisabled(String email) {
        refreshIfDue();
        return email != null && disabled.contains(Accounts.normalise(email));
    }

    void markDisabled(String email) {
        var next = new java.util.HashSet<>(disabled);
        next.add(email);
        disabled = Set.copyOf(next);
    }

    /** Reads the set now (at start, and for tests that do not want to wait). */
    public reactor.core.publisher.Mono<Void> refresh() {
        return db.sql("select email from account where disabled_at is not null")
                .map(r -> r.get("email", String.class)).all().collectList()
                .doOnNext(list -> {
                    disabled = Set.copyOf(list);
                    readAt = clock.instant();
                })
                .then();
    }

    private void refreshIfDue() {
        if (readAt.plus(props.disabledRefresh()).isAfter(clock.instant())) return;
        if (!reading.compareAndSet(false, true)) return;
        refresh().doFinally(s -> reading.set(false))
                .subscribe(v -> { }, e -> log.warn("cannot read disabled accounts (keeping the last list): {}", e.toString()));
    }
}
