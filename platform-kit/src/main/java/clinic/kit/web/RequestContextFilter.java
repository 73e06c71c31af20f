package clinic.kit.web;

import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an {@code X-Request-Id} (the caller's if it is sane, else a new one),
 * echoes it on the response and continues the caller's W3C {@code traceparent}, so one booking
 * can be followed from the gateway through Kafka to the mail it causes.
 */
public class RequestContextFilter implements WebFilter, Ordered {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String incoming = exchange.getRequest().getHeaders().getFirst(HEADER);
        String requestId = incoming != null && SAFE_ID.matcher(incoming).matches()
                ? incoming : java.util.UUID.randomUUID().toString();
        String parent = exchange.getRequest().getHeaders().getFirst("traceparent");
        String traceparent = parent == null ? RequestContext.newTraceparent() : RequestContext.childOf(parent);
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        exchange.getAttributes().put(RequestContext.REQUEST_ID, requestId);
        exchange.getAttributes().put(RequestContext.TRACEPARENT, traceparent);
        MDC.put(RequestContext.REQUEST_ID, requestId);
        MDC.put("traceId", RequestContext.traceId(traceparent));
        return chain.filter(exchange)
                .contextWrite(RequestContext.of(requestId, traceparent).asReactorContext())
                .doFinally(s -> {
                    MDC.remove(RequestContext.REQUEST_ID);
                    MDC.remove("traceId");
                });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
