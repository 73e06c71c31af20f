package clinic.kit.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The contract's role rules, in one place for the gateway and every service (defence in depth:
 * a request that reaches a service directly meets the same rules). {@link KitSecurity} turns them
 * into Spring Security's {@code authorizeExchange}; {@code /internal/**} is not a role rule but
 * needs a service token for this service's audience (see {@link KitSecurity}).
 */
public final class AccessRules {
    public static final String STAFF = "STAFF";
    public static final String MARKETING = "MARKETING";
    public static final String ADMIN = "ADMIN";
    /** Service-to-service calls (booking-service reserving a promo code at offer-service). */
    public static final String SERVICE = "SERVICE";
    /** Roles a person can hold; {@link #SERVICE} is only ever issued to a service's client. */
    public static final Set<String> USER_ROLES = Set.of(STAFF, MARKETING, ADMIN);

    record Rule(String pattern, PathPattern parsed, Set<String> roles) {}

    static final List<Rule> RULES = List.of(
            rule("/api/staff/**", STAFF, ADMIN),
            rule("/api/marketing/**", MARKETING, ADMIN),
            rule("/api/analytics/**", MARKETING, ADMIN),
            rule("/api/admin/**", ADMIN));

    /** Service tokens only, and only those whose audience names this service. */
    public static final String INTERNAL = "/internal/**";

    private AccessRules() {}

    private static Rule rule(String pattern, String... roles) {
        return new Rule(pattern, PathPatternParser.defaultInstance.parse(pattern), Set.of(roles));
    }

    /** Roles of which the caller needs one, or empty when the path is public (or internal). */
    public static Optional<Set<String>> requiredRoles(String path) {
        var container = PathContainer.parsePath(path);
        for (Rule r : RULES) {
            if (r.parsed().matches(container)) return Optional.of(r.roles());
        }
        return Optional.empty();
    }

    /** True when a request to this path needs a token at all. */
    public static boolean isProtected(String path) {
        return requiredRoles(path).isPresent()
                || PathPatternParser.defaultInstance.parse(INTERNAL).matches(PathContainer.parsePath(path));
    }
}
