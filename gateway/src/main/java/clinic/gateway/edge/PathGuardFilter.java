package clinic.gateway.edge;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses paths that could mean one thing to the role rules here and another to a service
 * (dot segments, encoded slashes or dots, empty segments, matrix parameters), and hides the
 * circuit breakers' internal fallback endpoint.
 */
@Component
class PathGuardFilter implements WebFilter, Ordered {
    private final ObjectMapper mapper;

    PathGuardFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String raw = exchange.getRequest().getURI().getRawPath();
        if (raw == null) raw = exchange.getRequest().getPath().value();
        if (raw.startsWith("/fallback/") || raw.equals("/fallback")) {
            return ProblemHandling.write(exchange.getResponse(),
                    ProblemMapper.statusProblem(HttpStatus.NOT_FOUND, null), mapper);
        }
        if (ambiguous(raw)) {
            return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.BAD_REQUEST,
                    "malformed_request", "Malformed request", "The request path is not acceptable"), mapper);
        }
        return chain.filter(exchange);
    }

    static boolean ambiguous(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || lower.contains("%00")
                || lower.contains("\\") || lower.contains(";") || lower.contains("//")) {
            return true;
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return true;
        }
        return false;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 3;
    }
}
