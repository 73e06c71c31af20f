package clinic.kit.security;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Verifies the bearer token of every request and enforces {@link AccessRules}: no or bad token
 * on a protected path is 401 {@code unauthorized}, a valid token without a needed role is 403
 * {@code forbidden}. A valid token on a public path still identifies the caller.
 */
public class TokenFilter implements WebFilter, Ordered {
    private final JwtService jwt;
    private final ObjectMapper mapper;

    public TokenFilter(JwtService jwt, ObjectMapper mapper) {
        this.jwt = jwt;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        Optional<Set<String>> required = AccessRules.requiredRoles(request.getMethod(), request.getPath().value());
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        Optional<ClinicPrincipal> principal = Optional.empty();
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            principal = jwt.verify(header.substring(7).trim());
        }
        principal.ifPresent(p -> exchange.getAttributes().put(ClinicPrincipal.ATTRIBUTE, p));
        if (required.isEmpty()) return chain.filter(exchange);
        if (principal.isEmpty()) {
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.UNAUTHORIZED,
                    "unauthorized", "Unauthorized", "Sign in first: a valid bearer token is required"), mapper);
        }
        if (!principal.get().hasAnyRole(required.get())) {
            return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.FORBIDDEN,
                    "forbidden", "Forbidden", "Your role does not allow this"), mapper);
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
