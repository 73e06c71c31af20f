package clinic.kit.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The contract's role rules, in one place for the gateway and every service (defence in depth:
 * a request that reaches a service directly meets the same rules).
 */
public final class AccessRules {
    public static final String STAFF = "STAFF";
    public static final String MARKETING = "MARKETING";
    public static final String ADMIN = "ADMIN";
    /** Service-to-service calls (booking-service reserving a promo code at offer-service). */
    public static final String SERVICE = "SERVICE";

    private record Rule(PathPattern pattern, Set<String> roles) {}

    private static final List<Rule> RULES = List.of(
            rule("/api/staff/**", STAFF, ADMIN),
            rule("/api/marketing/**", MARKETING, ADMIN),
            rule("/api/analytics/**", MARKETING, ADMIN),
            rule("/api/admin/**", ADMIN),
            rule("/internal/**", SERVICE, ADMIN));

    private AccessRules() {}

    private static Rule rule(String pattern, String... roles) {
        return new Rule(PathPatternParser.defaultInstance.parse(pattern), Set.of(roles));
    }

    /** Roles of which the caller needs one, or empty when the path is public. */
    public static Optional<Set<String>> requiredRoles(HttpMethod method, String path) {
        var container = org.springframework.http.server.PathContainer.parsePath(path);
        for (Rule r : RULES) {
            if (r.pattern().matches(container)) return Optional.of(r.roles());
        }
        return Optional.empty();
    }
}
