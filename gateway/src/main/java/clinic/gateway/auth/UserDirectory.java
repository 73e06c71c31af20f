package clinic.gateway.auth;

import clinic.kit.security.AccessRules;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.stereotype.Component;

/**
 * The configured users. Checking a password costs one bcrypt comparison whether or not the
 * username exists (an unknown name is compared against a dummy hash of the same cost), so the
 * response time does not tell which usernames are real.
 */
@Component
class UserDirectory {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final Set<String> KNOWN_ROLES = Set.of(AccessRules.STAFF, AccessRules.MARKETING, AccessRules.ADMIN);
    /** bcrypt only looks at the first 72 bytes: longer passwords are refused rather than truncated. */
    private static final int BCRYPT_MAX_BYTES = 72;

    private record Account(String passwordHash, Set<String> roles) {}

    private final Map<String, Account> accounts = new HashMap<>();
    private final String dummyHash;

    UserDirectory(AuthProperties props) {
        int cost = 10;
        for (AuthProperties.User u : props.users()) {
            if (u.username() == null || u.username().isBlank()) {
                throw new IllegalStateException("clinic.gateway.users: every user needs a username");
            }
            Matcher m = u.passwordHash() == null ? null : BCRYPT.matcher(u.passwordHash());
            if (m == null || !m.matches()) {
                throw new IllegalStateException("clinic.gateway.users: user '" + u.username()
                        + "' needs a bcrypt password-hash ($2a$10$...)");
            }
            cost = Integer.parseInt(m.group(1));
            if (u.roles() == null || u.roles().isEmpty() || !KNOWN_ROLES.containsAll(u.roles())) {
                throw new IllegalStateException("clinic.gateway.users: user '" + u.username()
                        + "' needs roles from " + KNOWN_ROLES);
            }
            if (accounts.put(normalise(u.username()), new Account(u.passwordHash(), Set.copyOf(u.roles()))) != null) {
                throw new IllegalStateException("clinic.gateway.users: user '" + u.username() + "' is listed twice");
            }
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.dummyHash = BCrypt.hashpw(java.util.HexFormat.of().formatHex(random), BCrypt.gensalt(cost));
    }

    static String normalise(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }

    /** The user's roles (sorted) when the password is right; empty for a wrong password or an unknown user. */
    Optional<List<String>> authenticate(String username, String password) {
        Account account = accounts.get(normalise(username));
        String hash = account != null ? account.passwordHash() : dummyHash;
        boolean matches;
        if (password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            BCrypt.checkpw("", hash); // same cost as a real check
            matches = false;
        } else {
            matches = BCrypt.checkpw(password, hash);
        }
        if (!matches || account == null) return Optional.empty();
        return Optional.of(List.copyOf(new TreeSet<>(account.roles())));
    }
}
