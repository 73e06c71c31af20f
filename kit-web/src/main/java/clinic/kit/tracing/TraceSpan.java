package clinic.kit.tracing;

/**
 * One unit of work in a trace. {@link #traceparent()} is what the work passes on (Reactor
 * context, outbox row, Kafka header, downstream HTTP header), so whatever it causes becomes its
 * child. {@link #end()} may be called more than once; only the first call counts.
 */
public interface TraceSpan {
    /** W3C {@code traceparent} naming this span: {@code 00-<trace id>-<span id>-<flags>}. */
    String traceparent();

    default String traceId() {
        return traceparent().split("-")[1];
    }

    TraceSpan attribute(String key, String value);

    TraceSpan attribute(String key, long value);

    /** Renames the span once more is known (a server span's route is known only after routing). */
    TraceSpan name(String name);

    /** Marks the span failed (status ERROR) and records the exception. */
    TraceSpan error(Throwable error);

    /** Marks the span failed (status ERROR) without an exception, e.g. an HTTP 5xx answer. */
    TraceSpan error(String description);

    void end();
}
