package clinic.kit.web;

import io.micrometer.context.ContextRegistry;
import org.slf4j.MDC;

/**
 * Puts the request id and trace id into every log line written while handling a request or an
 * event, on whatever thread Reactor runs it: with automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) Reactor restores thread-locals registered here
 * from the subscriber context, where {@link RequestContext} keeps them. The gateway runs with
 * {@code limited} propagation instead: its access log line names the request id itself.
 */
public final class LogContext {
    private static volatile boolean registered;
    /** {@code ObservationThreadLocalAccessor.KEY}, and the key of Spring Security's thread-local accessor. */
    static final String OBSERVATION = "micrometer.observation";
    static final String SECURITY_CONTEXT = org.springframework.security.core.context.SecurityContext.class.getName();

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
        // Under automatic propagation every registered accessor is read and written on every Reactor
        // signal. More arrive through the ServiceLoader: Micrometer's current observation and Spring
        // Security's thread-local security context. Nothing here reads them from a thread-local (spans
        // are the kit's own, on the Reactor context; so is the security context), and in the profile
        // of an availability request they were most of propagation's cost (docs/benchmarks.md). Spring
        // Security's reactive accessor stays: its key is a Class, which the registry cannot remove.
        registry.removeThreadLocalAccessor(OBSERVATION);
        registry.removeThreadLocalAccessor(SECURITY_CONTEXT);
        registered = true;
    }
}
