package clinic.gateway.ratelimit;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Limits anonymous writes (the bot-flood targets: bookings, callbacks, newsletter) and sign-in
 * per client, before any body is read or any service is called.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered {
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 6;

    private static final List<PathPattern> PUBLIC_WRITES = List.of(
            PathPatternParser.defaultInstance.parse("/api/bookings/**"),
            PathPatternParser.defaultInstance.parse("/api/callbacks/**"),
            PathPatternParser.defaultInstance.parse("/api/newsletter/**"));
    /** Sign-in (API and web session), and the reset and set-password calls (each a guess or a mail): one allowance together. */
    private static final List<PathPattern> LOGIN = List.of(
            PathPatternParser.defaultInstance.parse("/api/auth/login"),
            PathPatternParser.defaultInstance.parse("/api/auth/session"),
            PathPatternParser.defaultInstance.parse("/api/auth/password-reset"),
            PathPatternParser.defaultInstance.parse("/api/auth/password"));

    private final ClientRateLimiter publicWrites;
    private final ClientRateLimiter login;
    private final ClientAddress clients;
    private final ObjectMapper mapper;
    private final RateLimitMetrics metrics;

    RateLimitFilter(RateLimitProperties props, ClientAddress clients, ObjectMapper mapper,
                    ObjectProvider<Ticker> ticker, RateLimitMetrics metrics) {
        this.metrics = metrics;
        Ticker time = ticker.getIfAvailable(() -> Ticker.SYSTEM);
        this.publicWrites = new ClientRateLimiter(props.publicWrites(), time::nanoTime);
        this.login = new ClientRateLimiter(props.login(), time::nanoTime);
        this.clients = clients;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (!HttpMethod.POST.equals(request.getMethod())) return chain.filter(exchange);
        PathContainer path = request.getPath().pathWithinApplication();
        ClientRateLimiter limiter = LOGIN.stream().anyMatch(p -> p.matches(path)) ? login
                : PUBLIC_WRITES.stream().anyMatch(p -> p.matches(path)) ? publicWrites : null;
        if (limiter == null) return chain.filter(exchange);
        long wait = limiter.acquire(clients.of(exchange));
        if (wait == 0) return chain.filter(exchange);
        if (limiter == login) metrics.login(); else metrics.publicWrites();
        RateLimited limited = new RateLimited(wait);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        return ProblemHandling.write(exchange.getResponse(), ProblemMapper.toProblem(limited), mapper);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
