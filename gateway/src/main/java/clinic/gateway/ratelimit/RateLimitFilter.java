package clinic.gateway.ratelimit;

import clinic.kit.web.ProblemHandling;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.springframework.core.Ordered;
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
 * per client, before any body is read or any service is called. The buckets are shared by every
 * gateway instance (one statement on the gateway's database per decision); when that database does
 * not answer within {@code store-timeout}, public writes go ahead and sign-in calls are refused with
 * 503 (docs/adr/0009).
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

    /** No decision: the store did not answer (a wait is never negative). */
    private static final long STORE_AWAY = -1;

    private final ClientRateLimiter publicWrites;
    private final ClientRateLimiter login;
    private final ClientAddress clients;
    private final ObjectMapper mapper;
    private final RateLimitMetrics metrics;
    private final Duration storeTimeout;

    RateLimitFilter(RateLimitProperties props, ClientAddress clients, ObjectMapper mapper,
                    SharedBuckets buckets, RateLimitMetrics metrics) {
        this.metrics = metrics;
        this.publicWrites = new ClientRateLimiter("public_writes", props.publicWrites(), buckets);
        this.login = new ClientRateLimiter("login", props.login(), buckets);
        this.clients = clients;
        this.mapper = mapper;
        this.storeTimeout = props.storeTimeout();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        if (!HttpMethod.POST.equals(request.getMethod())) return chain.filter(exchange);
        PathContainer path = request.getPath().pathWithinApplication();
        ClientRateLimiter limiter = LOGIN.stream().anyMatch(p -> p.matches(path)) ? login
                : PUBLIC_WRITES.stream().anyMatch(p -> p.matches(path)) ? publicWrites : null;
        if (limiter == null) return chain.filter(exchange);
        String client = clients.of(exchange);
        return limiter.acquire(client).timeout(storeTimeout)
                .onErrorResume(e -> {
                    metrics.storeFailure(limiter.name(), e);
                    // Public writes fail open: the booking itself does not need this database, and
                    // refusing every customer while it is away is worse than a flood's minutes.
                    return Mono.just(limiter == login ? STORE_AWAY : 0L);
                })
                .flatMap(wait -> {
                    if (wait == 0) return chain.filter(exchange);
                    if (wait == STORE_AWAY) {
                        return ProblemHandling.write(exchange.getResponse(), new LimitStoreUnavailable(), mapper);
                    }
                    if (limiter == login) metrics.login(); else metrics.publicWrites();
                    return ProblemHandling.write(exchange.getResponse(), new RateLimited(wait), mapper);
                });
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
