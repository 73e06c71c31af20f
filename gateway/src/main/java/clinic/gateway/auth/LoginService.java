package clinic.gateway.auth;

import clinic.gateway.ratelimit.RateLimitMetrics;
import clinic.gateway.ratelimit.RateLimited;
import clinic.gateway.account.Accounts;
import clinic.gateway.issuer.TokenIssuer;
import java.util.LinkedHashSet;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Checks a username and password and issues a short-lived access token. */
@Service
public class LoginService {
    private final Accounts users;
    private final LoginThrottle throttle;
    private final TokenIssuer issuer;
    private final RateLimitMetrics limits;

    LoginService(Accounts users, LoginThrottle throttle, TokenIssuer issuer,
                 RateLimitMetrics limits) {
        this.limits = limits;
        this.users = users;
        this.throttle = throttle;
        this.issuer = issuer;
    }

    /**
     * The account's roles when the password is right, with the same throttling and lockout as
     * {@code POST /api/auth/login} (it is that sign-in, its token unused); else {@code bad_credentials}
     * or {@code rate_limited}. The web session's sign-in (clinic.gateway.session) goes through here.
     */
    public Mono<java.util.List<String>> check(String username, String password) {
        return login(username, password).map(LoginResponse::roles);
    }

    Mono<LoginResponse> login(String username, String password) {
        String key = Accounts.normalise(username);
        return throttle.begin(key).flatMap(blocked -> {
            if (blocked.isPresent()) {
                long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
                limits.loginLockout();
                return Mono.error(new RateLimited(seconds));
            }
            // A disabled account is refused here like a wrong password, at once. The attempt was
            // counted as a failure when it began; only a success takes it back.
            return users.authenticate(key, password)
                    .flatMap(roles -> roles.isEmpty() ? Mono.<LoginResponse>error(new BadCredentials())
                            : throttle.succeeded(key).then(issuer.user(key, new LinkedHashSet<>(roles.get())))
                                    .map(token -> new LoginResponse(
                                            token, "Bearer", issuer.userTokenTtl().toSeconds(), roles.get())));
        });
    }
}
