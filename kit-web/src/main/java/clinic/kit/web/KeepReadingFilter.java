package clinic.kit.web;

import io.netty.channel.EventLoop;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Handles every request in a task of its connection's event loop of its own, never on the stack that
 * handed the request over. Reactor Netty (1.2.11, and 1.2.18 in another form, reactor-netty#4347 and
 * #4361) buffers a keep-alive request that arrives before the previous response is finished, and
 * hands it over later from its queue; if that request is answered synchronously during the hand-over
 * (a 401 or 403 of the token check, a 429, a 304), the answer's end finds the request's own trailing
 * part still queued, schedules another drain instead of a read, and nothing ever reads the connection
 * again: the client's next request waits until it gives up. The API fuzz met this as a valid
 * {@code POST /api/admin/treatments} unanswered for 30 s right after a {@code GET} refused 401, and the
 * browser tests as pages that never loaded after a 304. Starting the work one task later lets the
 * queue drain first; the answer's end then finds it empty and resumes reading. It costs one
 * event-loop task per request, on the same thread. ({@link CloseAfterRefusalFilter} handles the other
 * way a refused request can leave a connection unread: the rest of its body arriving afterwards.)
 */
public class KeepReadingFilter implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        if (!(nativeRequest instanceof reactor.netty.Connection connection)) {
            return chain.filter(exchange); // not Reactor Netty (a mock exchange in a test): nothing to avoid
        }
        EventLoop loop = connection.channel().eventLoop();
        return Mono.<Void>create(sink -> {
            try {
                loop.execute(sink::success);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                sink.success(); // the server is stopping: answer as before rather than not at all
            }
        }).then(Mono.defer(() -> chain.filter(exchange)));
    }

    @Override
    public int getOrder() {
        // Before every filter that may answer by itself (tokens, rate limits, refusals).
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
