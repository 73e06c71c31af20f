package clinic.gateway.edge;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * One line per request: method, path (never the query string, which may carry tokens or e-mail
 * addresses), status, duration and request id. Nothing from headers or bodies is logged.
 */
@Component
class AccessLogFilter implements WebFilter, Ordered {
    private static final Logger log = LoggerFactory.getLogger("clinic.gateway.access");
    private static final int MAX_PATH = 200;

    private final ProblemHandling.ExceptionHandlerFilter problems;

    AccessLogFilter(ProblemHandling.ExceptionHandlerFilter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        // Errors are turned into problems here rather than outside the filter chain, so the line
        // below sees the status the client really gets.
        return chain.filter(exchange)
                .onErrorResume(e -> problems.handle(exchange, e))
                .doFinally(signal -> write(exchange, signal, (System.nanoTime() - start) / 1_000_000));
    }

    private void write(ServerWebExchange exchange, SignalType signal, long millis) {
        String method = exchange.getRequest().getMethod().name();
        String path = sanitise(exchange.getRequest().getPath().value());
        HttpStatusCode code = exchange.getResponse().getStatusCode();
        int status = code == null ? 200 : code.value();
        String requestId = exchange.getAttribute(RequestContext.REQUEST_ID);
        String traceparent = exchange.getAttribute(RequestContext.TRACEPARENT);
        log.atInfo()
                .addKeyValue("http.request.method", method)
                .addKeyValue("url.path", path)
                .addKeyValue("http.response.status_code", status)
                .addKeyValue("event.duration_ms", millis)
                // ECS's own name: "requestId" is already in the MDC (RequestContext), and the
                // structured encoder refuses a second pair of that name, dropping the whole line.
                .addKeyValue("http.request.id", requestId)
                // Named here, not taken from the MDC: the gateway does not restore the MDC on every
                // Reactor signal (spring.reactor.context-propagation: limited in application.yml).
                .addKeyValue("trace.id", traceparent == null ? null : RequestContext.traceId(traceparent))
                .log("{} {} {} {}ms requestId={}{}", method, path, status, millis, requestId,
                        signal == SignalType.CANCEL ? " (client went away)" : "");
    }

    /** Paths come from the client: no control characters (log forging), bounded length. */
    static String sanitise(String path) {
        StringBuilder sb = new StringBuilder(Math.min(path.length(), MAX_PATH));
        for (int i = 0; i < path.length() && sb.length() < MAX_PATH; i++) {
            char c = path.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (path.length() > MAX_PATH) sb.append("...");
        return sb.toString();
    }

    @Override
    public int getOrder() {
        // Just inside the kit's RequestContextFilter, which assigns the request id.
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
