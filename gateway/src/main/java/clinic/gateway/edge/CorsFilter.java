package clinic.gateway.edge;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS for the configured origins only. Same-origin requests (the web front served by this
 * gateway) are untouched; a cross-origin request from anywhere else is refused with a problem,
 * and preflights are answered here without bothering a service. Credentials are never allowed:
 * other origins use bearer tokens, and the web front's session cookie is for its own origin only
 * (SameSite=Strict, CSRF token on writes: clinic.gateway.session).
 */
@Component
class CorsFilter implements WebFilter, Ordered {
    private final CorsConfiguration config = new CorsConfiguration();
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final ObjectMapper mapper;

    CorsFilter(EdgeProperties props, ObjectMapper mapper) {
        this.mapper = mapper;
        config.setAllowedOrigins(props.corsAllowedOrigins().stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
        config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
        config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Manage-Token",
                "X-Request-Id", "traceparent"));
        config.setExposedHeaders(List.of("X-Request-Id", "Location", "Retry-After", "X-Audit-Incomplete"));
        config.setAllowCredentials(false);
        config.setMaxAge(Duration.ofHours(1));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!CorsUtils.isCorsRequest(exchange.getRequest())) return chain.filter(exchange);
        boolean allowed = processor.process(config, exchange);
        if (!allowed) {
            return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.FORBIDDEN,
                    "cors_rejected", "Origin not allowed", "Cross-origin requests from this origin are not allowed"),
                    mapper);
        }
        if (CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 4;
    }
}
