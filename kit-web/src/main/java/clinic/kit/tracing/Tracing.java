package clinic.kit.tracing;

/**
 * Starts spans that continue a W3C {@code traceparent}. Two kinds: {@link #noop()} when no OTLP
 * endpoint is configured (new span ids only, so logs and events still join up; nothing is
 * recorded, no thread, no exporter) and {@link OtlpTracing} when one is.
 *
 * <p>Why not Micrometer Tracing's automatic instrumentation: the context must survive the outbox
 * (stored in a row, sent later by the relay on another thread), and an instrumentation that keeps
 * its own context would start a second, disconnected one beside the kit's. So the kit's
 * {@code traceparent} stays the one context and spans are made from it here.
 */
public interface Tracing extends AutoCloseable {
    enum Kind { SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL }

    /**
     * @param parentTraceparent the caller's {@code traceparent}; null, blank or malformed starts a new trace
     */
    TraceSpan start(String name, Kind kind, String parentTraceparent);

    /** Whether spans leave the process. */
    boolean exporting();

    @Override
    default void close() {}

    static Tracing create(TracingProperties props, String serviceName) {
        return props.exporting() ? new OtlpTracing(props, serviceName) : noop();
    }

    static Tracing noop() {
        return IdsOnly.INSTANCE;
    }
}
