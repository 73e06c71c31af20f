package clinic.kit.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK, used directly: spans go through a batch processor to an OTLP/HTTP
 * (protobuf) exporter that sends with the JDK's HttpClient. The SDK is private to the kit (not
 * registered as the global OpenTelemetry), so nothing else in the service picks it up by accident.
 */
public final class OtlpTracing implements Tracing {
    private static final Logger log = LoggerFactory.getLogger(OtlpTracing.class);
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    OtlpTracing(TracingProperties props, String serviceName) {
        var exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(props.otlpEndpoint())
                .setTimeout(Duration.ofSeconds(5))
                .build();
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                // A caller's sampling decision wins, so a trace is recorded whole or not at all.
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(props.samplingRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        this.tracer = provider.tracerBuilder("clinic.kit").build();
        log.info("tracing: exporting spans of {} to {} (sampling ratio {})", serviceName, props.otlpEndpoint(),
                props.samplingRatio());
    }

    @Override
    public TraceSpan start(String name, Kind kind, String parentTraceparent) {
        Context parent = parentTraceparent == null || parentTraceparent.isBlank()
                ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), parentTraceparent, TRACEPARENT_ONLY);
        Span span = tracer.spanBuilder(name)
                .setSpanKind(SpanKind.valueOf(kind.name()))
                .setParent(parent) // a malformed traceparent extracts to nothing: a new trace
                .startSpan();
        return new OtelSpan(span);
    }

    @Override
    public boolean exporting() {
        return true;
    }

    /** Sends what is still buffered, then stops the exporter's thread. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    private record OtelSpan(Span span, String traceparent) implements TraceSpan {
        OtelSpan(Span span) {
            this(span, format(span.getSpanContext()));
        }

        private static String format(SpanContext c) {
            return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            if (value != null) span.setAttribute(key, value);
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        @Override
        public TraceSpan name(String name) {
            span.updateName(name);
            return this;
        }

        @Override
        public TraceSpan error(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            return this;
        }

        @Override
        public TraceSpan error(String description) {
            span.setStatus(StatusCode.ERROR, description);
            return this;
        }

        @Override
        public void end() {
            span.end();
        }
    }
}
