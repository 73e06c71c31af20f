package clinic.kit.security;

import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Who made the request, from a verified token. Staff actions record {@link #username()}. */
public record ClinicPrincipal(String username, Set<String> roles) {

    public boolean hasAnyRole(Set<String> wanted) {
        return roles.stream().anyMatch(wanted::contains);
    }

    /** The verified caller of this exchange (Spring Security's authentication), or empty for an anonymous one. */
    public static Mono<ClinicPrincipal> of(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(p -> from((JwtAuthenticationToken) p));
    }

    static ClinicPrincipal from(JwtAuthenticationToken auth) {
        Set<String> roles = new LinkedHashSet<>();
        for (GrantedAuthority a : auth.getAuthorities()) {
            String name = a.getAuthority();
            if (name.startsWith(KitSecurity.ROLE_PREFIX)) roles.add(name.substring(KitSecurity.ROLE_PREFIX.length()));
        }
        return new ClinicPrincipal(auth.getName(), Set.copyOf(roles));
    }
}
