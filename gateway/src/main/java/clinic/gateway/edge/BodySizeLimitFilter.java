package clinic.gateway.edge;

import clinic.kit.web.ProblemHandling;
import clinic.kit.web.ProblemMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Request bodies over the limit get 413 {@code payload_too_large} before any service sees them.
 * A declared Content-Length is checked up front (HTTP framing then holds the body to it); a body
 * without one (chunked) is read here up to the limit, and passed on with its length, so an
 * oversized stream is refused before it is forwarded rather than cut off half-way.
 */
@Component
class BodySizeLimitFilter implements WebFilter, Ordered {
    private static final Set<HttpMethod> BODYLESS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final int limit;
    private final ObjectMapper mapper;

    BodySizeLimitFilter(EdgeProperties props, ObjectMapper mapper) {
        this.limit = (int) props.maxBodySize().toBytes();
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        long declared = headers.getContentLength();
        if (declared > limit) return tooLarge(exchange);
        if (declared >= 0) return chain.filter(exchange);
        boolean streamed = headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
        if (!streamed && BODYLESS.contains(request.getMethod())) return chain.filter(exchange);
        return DataBufferUtils.join(request.getBody(), limit)
                .map(body -> withBody(request, body))
                .defaultIfEmpty(withBody(request, null))
                .map(Optional::of)
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(Optional.empty()))
                .flatMap(forwarded -> forwarded.isPresent()
                        ? chain.filter(exchange.mutate().request(forwarded.get()).build())
                        : tooLarge(exchange));
    }

    private static ServerHttpRequest withBody(ServerHttpRequest request, DataBuffer body) {
        int length = body == null ? 0 : body.readableByteCount();
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(request.getHeaders());
        headers.remove(HttpHeaders.TRANSFER_ENCODING);
        headers.setContentLength(length);
        return new ServerHttpRequestDecorator(request) {
            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return body == null ? Flux.empty() : Flux.just(body);
            }
        };
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        return ProblemHandling.write(exchange.getResponse(), ProblemMapper.problem(HttpStatus.PAYLOAD_TOO_LARGE,
                "payload_too_large", "Request too large",
                "The request body is larger than " + (limit / 1024) + " KiB"), mapper);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 7;
    }
}
