package clinic.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ORIGINAL_REQUEST_URL_ATTR;

import clinic.kit.web.ProblemMapper;
import java.net.URI;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * Where a route's circuit breaker forwards when its service fails (refused, timed out, circuit
 * open). Reached only by that internal forward: {@code PathGuardFilter} hides it from clients.
 */
@RestController
class FallbackController {
    static final String PATH = "/fallback/";
    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);
    private static final Set<String> CAPABILITIES = Set.of("bookings", "offers", "callbacks", "notifications", "analytics");

    @RequestMapping(PATH + "{capability}")
    ResponseEntity<ProblemDetail> unavailable(@PathVariable String capability, ServerWebExchange exchange) {
        Throwable cause = exchange.getAttribute(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        log.warn("{} unavailable: {}", capability, cause == null ? "unknown" : cause.toString());
        String known = CAPABILITIES.contains(capability) ? capability : "service";
        ProblemDetail problem = ProblemMapper.toProblem(new CapabilityUnavailable(known));
        // The path the client asked for, not this internal one.
        problem.setInstance(clientPath(exchange));
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static URI clientPath(ServerWebExchange exchange) {
        Set<URI> original = exchange.getAttribute(GATEWAY_ORIGINAL_REQUEST_URL_ATTR);
        if (original != null && !original.isEmpty()) {
            return URI.create(original.iterator().next().getRawPath());
        }
        // An open breaker refuses before the request is sent, so no URL was recorded (and the forward
        // here drops the route's cached path). The forward wraps the client's exchange: the innermost
        // request is the one the client sent. Without this the answer named /fallback/<capability>.
        ServerWebExchange client = exchange;
        while (client instanceof ServerWebExchangeDecorator decorator) {
            client = decorator.getDelegate();
        }
        return URI.create(client.getRequest().getPath().value());
    }
}
