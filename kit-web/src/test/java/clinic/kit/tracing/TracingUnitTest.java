package clinic.kit.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.testsupport.OtlpReceiver;
import clinic.testsupport.OtlpReceiver.ReceivedSpan;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The two kinds of tracing without Spring: ids only, and the SDK exporting to a real OTLP receiver. */
class TracingUnitTest {
    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void withoutAnEndpointThereIsNoExporterAndNoThread() {
        Set<String> before = threadNames();
        Tracing tracing = Tracing.create(new TracingProperties("  ", 1.0), "svc");
        TraceSpan span = tracing.start("GET", Tracing.Kind.SERVER, PARENT).attribute("k", "v");
        span.error("nothing records this").end();
        assertThat(tracing).isSameAs(Tracing.noop());
        assertThat(tracing.exporting()).isFalse();
        assertThat(threadNames()).filteredOn(n -> !before.contains(n))
                .noneMatch(n -> n.contains("BatchSpanProcessor") || n.contains("HttpClient"));
        // Still a fresh span id in the caller's trace, so logs and events join up.
        assertThat(span.traceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
                .isNotEqualTo(PARENT);
        assertThat(tracing.start("GET", Tracing.Kind.SERVER, "garbage").traceparent())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void withAnEndpointSpansReachTheCollectorAndClosingFlushesThem() {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Tracing tracing = Tracing.create(new TracingProperties(receiver.endpoint(), 1.0), "svc-a");
            TraceSpan span = tracing.start("publish x", Tracing.Kind.PRODUCER, PARENT)
                    .attribute("messaging.destination.name", "x").attribute("n", 3);
            span.error(new IllegalStateException("kafka away")).end();
            String root = tracing.start("root", Tracing.Kind.INTERNAL, null).traceparent();
            tracing.close(); // the batch would wait seconds; closing sends it now

            assertThat(receiver.spans()).hasSize(1);
            ReceivedSpan got = receiver.spans().get(0);
            assertThat(got.service()).isEqualTo("svc-a");
            assertThat(got.kind()).isEqualTo("PRODUCER");
            assertThat(got.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(got.parentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(span.traceparent()).isEqualTo("00-" + got.traceId() + "-" + got.spanId() + "-01");
            assertThat(got.status()).isEqualTo("ERROR");
            assertThat(got.attr("n")).isEqualTo("3");
            // The unended root span is not sent, but it is a new trace.
            assertThat(root).doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }

    @Test
    void theSamplingRatioAppliesToNewTracesAndACallersDecisionIsFollowed() {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Tracing tracing = Tracing.create(new TracingProperties(receiver.endpoint(), 0.0), "svc-b");
            TraceSpan unsampledRoot = tracing.start("root", Tracing.Kind.SERVER, null);
            unsampledRoot.end();
            TraceSpan sampledChild = tracing.start("child", Tracing.Kind.SERVER, PARENT);
            sampledChild.end();
            TraceSpan unsampledChild = tracing.start("child of unsampled", Tracing.Kind.SERVER,
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
            unsampledChild.end();
            tracing.close();

            // Not sampled is passed on as flags 00, so the next service does not record it either.
            assertThat(unsampledRoot.traceparent()).endsWith("-00");
            assertThat(unsampledChild.traceparent()).endsWith("-00");
            assertThat(sampledChild.traceparent()).endsWith("-01");
            assertThat(receiver.spans()).extracting(ReceivedSpan::name).containsExactly("child");
        }
    }
}
