package clinic.kit.tracing;

import clinic.kit.web.RequestContext;

/** Tracing without export: a span is nothing but a fresh span id in the caller's trace. */
final class IdsOnly implements Tracing {
    static final IdsOnly INSTANCE = new IdsOnly();

    private IdsOnly() {}

    @Override
    public TraceSpan start(String name, Kind kind, String parentTraceparent) {
        return new Span(parentTraceparent == null || parentTraceparent.isBlank()
                ? RequestContext.newTraceparent() : RequestContext.childOf(parentTraceparent));
    }

    @Override
    public boolean exporting() {
        return false;
    }

    private record Span(String traceparent) implements TraceSpan {
        @Override
        public TraceSpan attribute(String key, String value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            return this;
        }

        @Override
        public TraceSpan name(String name) {
            return this;
        }

        @Override
        public TraceSpan error(Throwable error) {
            return this;
        }

        @Override
        public TraceSpan error(String description) {
            return this;
        }

        @Override
        public void end() {}
    }
}
