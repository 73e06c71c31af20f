package clinic.kit.web;

import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Gives every request an {@code X-Request-Id} (the caller's if it is sane, else a new one),
 * echoes it on the response and continues the caller's W3C {@code traceparent} with a SERVER
 * span, so one booking can be followed from the gateway through Kafka to the mail it causes.
 * The span's own {@code traceparent} is what the request passes on (Reactor context, outbox rows,
 * downstream calls), so everything it causes becomes its child.
 */
public class RequestContextFilter implements WebFilter, Ordered {
    public static final String HEADER = "X-Request-Id";
    /**
     * Exchange attribute: what the request matched when no Spring handler mapping says (the
     * gateway's route id). Names the server span, as the route template does for a controller.
     */
    public static final String ROUTE_NAME = RequestContextFilter.class.getName() + ".routeName";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final Tracing tracing;

    public RequestContextFilter() {
        this(Tracing.noop());
    }

    public RequestContextFilter(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String incoming = exchange.getRequest().getHeaders().getFirst(HEADER);
        String requestId = incoming != null && SAFE_ID.matcher(incoming).matches()
                ? incoming : java.util.UUID.randomUUID().toString();
        String parent = exchange.getRequest().getHeaders().getFirst("traceparent");
        String method = exchange.getRequest().getMethod().name();
        String path = exchange.getRequest().getPath().value();
        // Probes and scrapes every few seconds would bury the traces worth reading: ids only for them.
        Tracing spans = path.startsWith("/actuator") ? Tracing.noop() : tracing;
        TraceSpan span = spans.start(method, Tracing.Kind.SERVER, parent)
                .attribute("http.request.method", method)
                .attribute("url.path", path)
                .attribute("http.request.header.x-request-id", requestId);
        String traceparent = span.traceparent();
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        exchange.getAttributes().put(RequestContext.REQUEST_ID, requestId);
        exchange.getAttributes().put(RequestContext.TRACEPARENT, traceparent);
        MDC.put(RequestContext.REQUEST_ID, requestId);
        MDC.put("traceId", RequestContext.traceId(traceparent));
        return chain.filter(exchange)
                .doOnError(error -> failed(span, exchange, error))
                .contextWrite(RequestContext.of(requestId, traceparent).asReactorContext())
                .doFinally(signal -> {
                    finish(span, exchange, signal);
                    MDC.remove(RequestContext.REQUEST_ID);
                    MDC.remove("traceId");
                });
    }

    /**
     * An error leaves this filter before the kit's exception handler answers it, so the status
     * comes from the same mapping that answer will use: a client's mistake (4xx) is not a failed span.
     */
    private static void failed(TraceSpan span, ServerWebExchange exchange, Throwable error) {
        int status = ProblemMapper.status(error);
        exchange.getAttributes().put(SPAN_STATUS, status);
        if (status >= 500) span.error(error);
    }

    private static final String SPAN_STATUS = RequestContextFilter.class.getName() + ".status";

    private static void finish(TraceSpan span, ServerWebExchange exchange, SignalType signal) {
        Object route = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String method = exchange.getRequest().getMethod().name();
        String routeName = exchange.getAttribute(ROUTE_NAME);
        if (route instanceof PathPattern p) {
            span.attribute("http.route", p.getPatternString()).name(method + " " + p.getPatternString());
        } else if (routeName != null) {
            span.attribute("clinic.route", routeName).name(method + " " + routeName);
        }
        Integer failedWith = exchange.getAttribute(SPAN_STATUS);
        HttpStatusCode answered = exchange.getResponse().getStatusCode();
        if (failedWith != null) {
            span.attribute("http.response.status_code", failedWith);
        } else if (signal == SignalType.CANCEL) {
            span.attribute("clinic.cancelled", "client went away before the answer");
        } else if (answered != null) {
            span.attribute("http.response.status_code", answered.value());
            if (answered.is5xxServerError()) span.error("HTTP " + answered.value());
        }
        span.end();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
