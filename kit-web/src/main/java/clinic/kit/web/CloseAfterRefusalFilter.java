package clinic.kit.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request with a body that is refused (any 4xx/5xx: no token, rate limited, too large, invalid)
 * is answered with {@code Connection: close}. A refusal is often written before the body has been
 * read; the rest of the body then reaches Reactor Netty while it is finishing that exchange, and
 * its keep-alive bookkeeping can leave the connection unread, so the client's next request on it
 * is never answered (reactor-netty#4347; seen as the API fuzz's "no answer within 30 s" right after
 * a run of 401s to PUTs with bodies). Closing costs the client one new connection, only on refusals.
 * Only small bodies (up to {@link #SMALL} bytes, declared): closing while a client is still sending a
 * large one resets the connection before it reads the answer, so a 413 would never be seen.
 */
public class CloseAfterRefusalFilter implements WebFilter, Ordered {
    static final long SMALL = 8 * 1024;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders request = exchange.getRequest().getHeaders();
        long length = request.getContentLength();
        if (length > 0 && length <= SMALL) {
            exchange.getResponse().beforeCommit(() -> {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                if (status != null && status.isError()) {
                    exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
                }
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
