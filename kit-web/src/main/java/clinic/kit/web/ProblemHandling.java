package clinic.kit.web;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

/**
 * Both doors to {@link ProblemMapper}: the controller advice for errors raised by handlers, and a
 * WebExceptionHandler for everything else (no route, filters, body limits).
 */
public final class ProblemHandling {
    private ProblemHandling() {}

    @RestControllerAdvice
    @Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
    public static class Advice {
        @ExceptionHandler(Throwable.class)
        public ResponseEntity<ProblemDetail> handle(Throwable error) {
            ProblemDetail p = ProblemMapper.toProblem(error);
            var response = ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
            if (error instanceof RetryLater later) {
                response.header(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
            }
            return response.body(p);
        }
    }

    public static class ExceptionHandlerFilter implements WebExceptionHandler, org.springframework.core.Ordered {
        private final ObjectMapper mapper;

        public ExceptionHandlerFilter(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
            ServerHttpResponse response = exchange.getResponse();
            if (response.isCommitted()) return Mono.error(error);
            return write(response, error, mapper);
        }

        @Override
        public int getOrder() {
            // Before Spring Boot's default error handler (-1).
            return -2;
        }
    }

    /** {@code error} as its problem, with {@code Retry-After} when it is a {@link RetryLater}. */
    public static Mono<Void> write(ServerHttpResponse response, Throwable error, ObjectMapper mapper) {
        if (error instanceof RetryLater later) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
        }
        return write(response, ProblemMapper.toProblem(error), mapper);
    }

    public static Mono<Void> write(ServerHttpResponse response, ProblemDetail p, ObjectMapper mapper) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(p);
        } catch (Exception e) {
            body = ("{\"status\":" + p.getStatus() + "}").getBytes();
        }
        response.setRawStatusCode(p.getStatus());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
