package clinic.gateway.session;

import clinic.kit.security.AccessRules;
import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request with the session cookie and no {@code Authorization} header is signed in from the
 * session: it goes on with a bearer token of the gateway's own issuer, so Spring Security here and
 * every service downstream check exactly what they check for an API client. A request that brings
 * its own {@code Authorization} is left alone, cookie or not (API clients, as before).
 *
 * <p>The cookie is ambient (the browser adds it to any request to us), so a cookie-authenticated
 * write must also carry the session's CSRF token in {@code X-CSRF-Token}, which a page of another
 * site cannot learn; and a browser that says the request comes from another site
 * ({@code Sec-Fetch-Site}) is refused whatever it sends. Without them a write to a protected path is
 * 403 {@code csrf_token_invalid}; a write to a public path goes on as an anonymous one (which anyone
 * may make), so a customer page in a tab that lost its copy of the token still works.
 *
 * <p>Runs before Spring Security (order -100) and after the edge filters and rate limits.
 */
@Component
class SessionFilter implements WebFilter, Ordered {
    static final String ACTIVE = SessionFilter.class.getName() + ".active";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final WebSessions sessions;
    private final SessionCookies cookies;
    private final ObjectMapper mapper;

    SessionFilter(WebSessions sessions, SessionCookies cookies, ObjectMapper mapper) {
        this.sessions = sessions;
        this.cookies = cookies;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (request.getHeaders().containsKey(HttpHeaders.AUTHORIZATION) || !path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        // Sign-in and the password links need no session (and must work with a stale cookie).
        if (path.startsWith("/api/auth/") && !(path.equals(SessionController.PATH) && request.getMethod() != HttpMethod.POST)) {
            return chain.filter(exchange);
        }
        HttpCookie cookie = request.getCookies().getFirst(cookies.name());
        if (cookie == null || cookie.getValue().isBlank()) return chain.filter(exchange);
        String value = cookie.getValue();
        return sessions.resolve(value).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(found -> {
            if (found.isEmpty()) {
                // Ended or unknown: the browser can stop sending it; the request goes on anonymous.
                exchange.getResponse().addCookie(cookies.cleared());
                return chain.filter(exchange);
            }
            WebSessions.Active active = found.get();
            if (!SAFE.contains(request.getMethod()) && !csrfOk(exchange, active)) {
                if (AccessRules.isProtected(path) || path.equals(SessionController.PATH)) {
                    return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.FORBIDDEN,
                            "csrf_token_invalid", "CSRF token missing or wrong",
                            "A signed-in page's change must carry the session's X-CSRF-Token (from GET /api/auth/session)"),
                            mapper);
                }
                return chain.filter(exchange);
            }
            exchange.getAttributes().put(ACTIVE, active);
            return sessions.token(value, active).flatMap(token -> chain.filter(exchange.mutate()
                    .request(r -> r.headers(h -> h.setBearerAuth(token))).build()));
        });
    }

    private static boolean csrfOk(ServerWebExchange exchange, WebSessions.Active active) {
        HttpHeaders h = exchange.getRequest().getHeaders();
        String site = h.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return false;
        String sent = h.getFirst(CSRF_HEADER);
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                active.csrfToken().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 8;
    }
}
