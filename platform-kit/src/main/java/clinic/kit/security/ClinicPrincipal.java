package clinic.kit.security;

import java.util.Set;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Who made the request, from a verified token. Staff actions record {@link #username()}. */
public record ClinicPrincipal(String username, Set<String> roles) {
    public static final String ATTRIBUTE = ClinicPrincipal.class.getName();

    public boolean hasAnyRole(Set<String> wanted) {
        return roles.stream().anyMatch(wanted::contains);
    }

    /** The verified caller of this exchange, or empty for an anonymous one. */
    public static Mono<ClinicPrincipal> of(ServerWebExchange exchange) {
        return Mono.justOrEmpty(exchange.<ClinicPrincipal>getAttribute(ATTRIBUTE));
    }
}
