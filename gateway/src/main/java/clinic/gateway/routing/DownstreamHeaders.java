package clinic.gateway.routing;

import clinic.kit.web.RequestContext;
import clinic.kit.web.RequestContextFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/** Headers on the way to a service and back. */
final class DownstreamHeaders {
    private DownstreamHeaders() {}

    /**
     * The request id (ours, possibly generated) and the W3C trace context (a child span of the
     * caller's) go to the service, so its logs and the events it publishes join up with ours.
     */
    @Component
    static class Outbound implements HttpHeadersFilter {
        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            HttpHeaders out = new HttpHeaders();
            out.addAll(input);
            String requestId = exchange.getAttribute(RequestContext.REQUEST_ID);
            String traceparent = exchange.getAttribute(RequestContext.TRACEPARENT);
            if (requestId != null) out.set(RequestContextFilter.HEADER, requestId);
            if (traceparent != null) out.set(RequestContext.TRACEPARENT, traceparent);
            return out;
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.REQUEST;
        }
    }

    /**
     * The gateway alone answers for the request id and for CORS: copies from the service would
     * otherwise be added next to ours.
     */
    @Component
    static class Inbound implements HttpHeadersFilter {
        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            HttpHeaders out = new HttpHeaders();
            input.forEach((name, values) -> {
                if (!name.equalsIgnoreCase(RequestContextFilter.HEADER)
                        && !name.regionMatches(true, 0, "Access-Control-", 0, 15)) {
                    out.addAll(name, values);
                }
            });
            return out;
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.RESPONSE;
        }
    }
}
