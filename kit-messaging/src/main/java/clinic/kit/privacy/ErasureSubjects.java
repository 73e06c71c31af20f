package clinic.kit.privacy;

import clinic.kit.security.ServiceTokens;
import clinic.kit.web.RequestContext;
import java.time.Duration;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The address an erasure is about, from booking-service (which owns erasure requests) over
 * {@code GET /internal/privacy/erasures/{id}} with this service's own token (audience
 * booking-service). {@code privacy.erasure_requested.v1} carries only the id, so that no address is
 * ever on a topic (docs/privacy.md). Nothing here logs what it receives.
 *
 * <p>Empty when there is nothing left to erase for: the request is DONE (its address already cleared)
 * or unknown. booking-service away (refused, timed out, 5xx, our token refused) is
 * {@link OwnerUnavailable}, a transient failure: the kit's inbox then waits and retries until it is
 * back instead of dead-lettering the request.
 */
public class ErasureSubjects {
    static final String OWNER = "booking-service";

    private final WebClient client;
    private final ServiceTokens tokens;
    private final Duration timeout;

    public ErasureSubjects(WebClient.Builder builder, ServiceTokens tokens, String bookingUrl, Duration timeout) {
        this.client = builder.clone().baseUrl(bookingUrl).build();
        this.tokens = tokens;
        this.timeout = timeout;
    }

    /** booking-service's answer: the address while the request is PENDING, null once DONE. */
    record Subject(String erasureId, String status, String email) {}

    /** The address of an open erasure request; empty when it is DONE or unknown. */
    public Mono<String> email(String erasureId) {
        return RequestContext.current().map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(ctx -> tokens.token(OWNER).flatMap(token -> client.get()
                        .uri("/internal/privacy/erasures/{id}", erasureId)
                        .headers(h -> {
                            h.setBearerAuth(token);
                            ctx.ifPresent(c -> {
                                if (c.traceparent() != null) h.set("traceparent", c.traceparent());
                                if (c.requestId() != null) h.set("X-Request-Id", c.requestId());
                            });
                        })
                        .exchangeToMono(response -> {
                            // Our token refused (its key withdrawn): the next attempt (the inbox retries) gets a new one.
                            if (response.statusCode().value() == HttpStatus.UNAUTHORIZED.value()) tokens.refused(OWNER);
                            return read(response);
                        })))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof OwnerUnavailable),
                        e -> new OwnerUnavailable(OWNER + " did not answer: " + e.getClass().getSimpleName(), e))
                .mapNotNull(Subject::email);
    }

    private static Mono<Subject> read(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) return response.bodyToMono(Subject.class);
        if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) return response.releaseBody().then(Mono.empty());
        int status = response.statusCode().value();
        return response.releaseBody().then(Mono.error(new OwnerUnavailable(OWNER + " answered " + status, null)));
    }

    /** booking-service did not answer usefully: transient, so the inbox waits for it (docs/kit.md). */
    public static class OwnerUnavailable extends TransientDataAccessException {
        public OwnerUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
