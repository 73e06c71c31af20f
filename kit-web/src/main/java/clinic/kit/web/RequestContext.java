package clinic.kit.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The request id and W3C trace context of the work in progress, carried in the Reactor context
 * from the HTTP request (or the consumed event) to the events it causes.
 */
public record RequestContext(String requestId, String traceparent) {
    public static final String REQUEST_ID = "requestId";
    public static final String TRACEPARENT = "traceparent";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static RequestContext of(String requestId, String traceparent) {
        return new RequestContext(requestId, traceparent);
    }

    public static Mono<RequestContext> current() {
        return Mono.deferContextual(ctx -> Mono.just(from(ctx)));
    }

    public static RequestContext from(ContextView ctx) {
        return new RequestContext(ctx.getOrDefault(REQUEST_ID, null), ctx.getOrDefault(TRACEPARENT, null));
    }

    public Context asReactorContext() {
        Context c = Context.empty();
        if (requestId != null) c = c.put(REQUEST_ID, requestId);
        if (traceparent != null) c = c.put(TRACEPARENT, traceparent);
        return c;
    }

    public String requestIdOr(String fallback) {
        return requestId == null ? fallback : requestId;
    }

    public String traceparentOr(String fallback) {
        return traceparent == null ? fallback : traceparent;
    }

    /** Trace id part of a {@code traceparent} ("00-traceid-spanid-flags"), or null. */
    public static String traceId(String traceparent) {
        if (traceparent == null) return null;
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[1] : null;
    }

    /** A new root trace context, for requests that arrive without one. */
    public static String newTraceparent() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    /** Same trace, new span id: what this service passes on downstream. */
    public static String childOf(String traceparent) {
        String traceId = traceId(traceparent);
        if (traceId == null || !traceId.matches("[0-9a-f]{32}")) return newTraceparent();
        byte[] span = new byte[8];
        RANDOM.nextBytes(span);
        return "00-" + traceId + "-" + HexFormat.of().formatHex(span) + "-01";
    }
}
