package clinic.gateway.auth;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param users     who may sign in; empty outside the local profile unless configured
 * @param lockout   how many failed attempts for one username, within what window, before that
 *                  username is refused with 429 until the window has passed
 */
@ConfigurationProperties("clinic.gateway")
public record AuthProperties(@DefaultValue List<User> users, @DefaultValue Lockout lockout) {

    /** @param passwordHash bcrypt ({@code $2a$…}); the password itself never appears in configuration */
    public record User(String username, String passwordHash, Set<String> roles) {}

    public record Lockout(@DefaultValue("10") int maxFailures, @DefaultValue("5m") Duration window) {}
}
