package clinic.kit.security;

import java.util.Set;

/**
 * An exception to "{@code /internal/**} takes only service tokens": a path under it that a signed-in
 * user with one of {@code roles} may call. Declared as a bean only by local test aids (booking-service's
 * test-clock profile, which refuses to start without {@code local}), so production has none.
 *
 * @param pattern a path pattern under {@code /internal/}
 * @param roles   user roles of which the caller needs one (a service token does not qualify)
 */
public record InternalUserAccess(String pattern, Set<String> roles) {
    public InternalUserAccess {
        if (!pattern.startsWith("/internal/")) {
            throw new IllegalArgumentException("only /internal/ paths need an exception: " + pattern);
        }
        roles = Set.copyOf(roles);
    }
}
