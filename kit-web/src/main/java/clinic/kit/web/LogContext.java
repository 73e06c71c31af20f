package clinic.kit.web;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;

/**
 * Puts the request id and trace id into every log line written while handling a request or an
 * event, on whatever thread Reactor runs it: with automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) Reactor restores thread-locals registered here
 * from the subscriber context, where {@link RequestContext} keeps them.
 */
public final class LogContext {
    private static volatile boolean registered;

    private LogContext() {}

    public static synchronized void register() {
        if (registered) return;
        ContextRegistry registry = ContextRegistry.getInstance();
        registry.registerThreadLocalAccessor(RequestContext.REQUEST_ID,
                () -> MDC.get(RequestContext.REQUEST_ID),
                v -> MDC.put(RequestContext.REQUEST_ID, v),
                () -> MDC.remove(RequestContext.REQUEST_ID));
        // The context holds the whole traceparent; logs want its trace id.
        registry.registerThreadLocalAccessor(RequestContext.TRACEPARENT,
                () -> MDC.get(RequestContext.TRACEPARENT),
                v -> {
                    MDC.put(RequestContext.TRACEPARENT, v);
                    MDC.put("traceId", RequestContext.traceId(v));
                },
                () -> {
                    MDC.remove(RequestContext.TRACEPARENT);
                    MDC.remove("traceId");
                });
        registered = true;
    }
}
