package clinic.gateway.edge;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Browser safety headers on every response, including proxied ones and errors. Set just before
 * the response is committed so that a service's own values cannot add to or weaken them.
 */
@Component
class SecurityHeadersFilter implements WebFilter, Ordered {
    private final String contentSecurityPolicy;

    SecurityHeadersFilter(EdgeProperties props) {
        this.contentSecurityPolicy = props.contentSecurityPolicy();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var response = exchange.getResponse();
        response.beforeCommit(() -> {
            HttpHeaders h = response.getHeaders();
            h.set("Content-Security-Policy", contentSecurityPolicy);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cross-Origin-Opener-Policy", "same-origin");
            h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
