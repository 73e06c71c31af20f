package clinic.booking.offers;

import clinic.kit.security.ServiceTokens;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.ClinicException;
import clinic.kit.web.RequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Client of offer-service's reservation API. Reservations are idempotent by booking id, so one
 * retry of a failed or timed-out attempt is safe; each attempt is bounded by the
 * {@code offer-service} time limiter and guarded by the {@code offer-service} circuit breaker, which
 * only counts offer-service being unreachable or failing ({@link OfferOutage}: a refused code is a
 * normal answer); the {@code offer-service} retry asks once more, and the whole call, retry
 * included, is bounded by the {@code offer-service-call} time limiter. All four are configured by
 * name in application.yml. Each attempt is a CLIENT span in the booking request's trace;
 * offer-service's server span is its child.
 */
@Component
public class OfferClient {
    private static final Logger log = LoggerFactory.getLogger(OfferClient.class);

    private final WebClient web;
    /** offer-service takes only tokens issued for it; ours comes from the issuer (client credentials). */
    private static final String AUDIENCE = "offer-service";

    private final ServiceTokens tokens;
    private final OfferServiceProperties props;
    /** The instance name of the breaker, retry and per-attempt time limiter in application.yml. */
    static final String INSTANCE = "offer-service";
    /** The time limiter of the whole call, retry included: the customer waits on it. */
    static final String CALL_INSTANCE = "offer-service-call";

    private final CircuitBreaker breaker;
    private final Retry retry;
    private final TimeLimiter attemptLimit;
    private final TimeLimiter callLimit;
    private final Tracing tracing;

    public OfferClient(WebClient.Builder builder, ServiceTokens tokens, OfferServiceProperties props,
                       CircuitBreakerRegistry breakers, RetryRegistry retries, TimeLimiterRegistry timeLimiters,
                       Tracing tracing) {
        this.web = builder.baseUrl(props.url()).build();
        this.tokens = tokens;
        this.props = props;
        this.tracing = tracing;
        // The registries of resilience4j-spring-boot3: the instances were built from application.yml at
        // start, and the registries' metrics and actuator endpoints already know them. Asking by a
        // name missing from the yml would silently build one with library defaults, so refuse that.
        this.breaker = configured(breakers.find(INSTANCE), "circuitbreaker", INSTANCE);
        this.retry = configured(retries.find(INSTANCE), "retry", INSTANCE);
        this.attemptLimit = configured(timeLimiters.find(INSTANCE), "timelimiter", INSTANCE);
        this.callLimit = configured(timeLimiters.find(CALL_INSTANCE), "timelimiter", CALL_INSTANCE);
    }

    private static <T> T configured(java.util.Optional<T> instance, String kind, String name) {
        return instance.orElseThrow(() -> new IllegalStateException(
                "resilience4j." + kind + ".instances." + name + " is missing from application.yml"));
    }

    /** The breaker (the registry's {@code offer-service} instance), for tests that need a closed one. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The retry (the registry's {@code offer-service} instance), for tests that check which one is in use. */
    public Retry retry() {
        return retry;
    }

    public Mono<Reservation> reserve(ReservationRequest request) {
        Mono<Reservation> attempt = Mono.defer(() -> traced("POST /internal/reservations", (span, ctx) -> tokens.token(AUDIENCE).flatMap(token -> web.post()
                        .uri("/internal/reservations")
                        .headers(h -> {
                            h.setBearerAuth(token);
                            h.set("traceparent", span.traceparent());
                            if (ctx.requestId() != null) h.set("X-Request-Id", ctx.requestId());
                        })
                        .bodyValue(request)
                        .exchangeToMono(response -> {
                            span.attribute("http.response.status_code", response.statusCode().value());
                            return reservation(response);
                        }))))
                .transformDeferred(TimeLimiterOperator.of(attemptLimit))
                .transformDeferred(CircuitBreakerOperator.of(breaker));
        return attempt
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(TimeLimiterOperator.of(callLimit))
                .onErrorResume(e -> !(e instanceof ClinicException), e -> {
                    log.warn("offer-service unavailable for booking {}: {}", request.bookingId(), rootCause(e));
                    // A timed-out call may still have reserved a place: give it back now rather than
                    // leave it held until the reservation expires. Not when the breaker refused the
                    // call: then nothing was sent.
                    Mono<Void> giveBack = e instanceof CallNotPermittedException ? Mono.empty() : release(request.bookingId());
                    return giveBack.then(Mono.error(new OffersUnavailable()));
                });
    }

    /**
     * Asks whether a booking's discount still holds at a new time (a reschedule): completes empty
     * when it does, or when offer-service holds no reservation for it (nothing to lose);
     * {@link PromoCodeRejected} {@code promo_code_expired} with the offer's window when the new
     * time is outside it; {@link OffersUnavailable} when offer-service cannot answer, as for a new
     * booking with a code. Read-only at offer-service, so one retry is safe.
     */
    public Mono<Void> recheck(UUID bookingId, java.time.Instant startsAt) {
        Mono<Void> attempt = Mono.defer(() -> traced("POST /internal/reservations/{id}/recheck", (span, ctx) -> tokens.token(AUDIENCE).flatMap(token -> web.post()
                        .uri("/internal/reservations/{id}/recheck", bookingId)
                        .headers(h -> {
                            h.setBearerAuth(token);
                            h.set("traceparent", span.traceparent());
                            if (ctx.requestId() != null) h.set("X-Request-Id", ctx.requestId());
                        })
                        .bodyValue(java.util.Map.of("startsAt", startsAt.toString()))
                        .exchangeToMono(response -> {
                            span.attribute("http.response.status_code", response.statusCode().value());
                            if (response.statusCode().value() == 404) return response.releaseBody().then();
                            return reservation(response).then();
                        }))))
                .transformDeferred(TimeLimiterOperator.of(attemptLimit))
                .transformDeferred(CircuitBreakerOperator.of(breaker));
        return attempt
                .transformDeferred(RetryOperator.of(retry))
                .transformDeferred(TimeLimiterOperator.of(callLimit))
                .onErrorResume(e -> !(e instanceof ClinicException), e -> {
                    log.warn("offer-service unavailable to recheck the code of booking {}: {}", bookingId, rootCause(e));
                    return Mono.error(new OffersUnavailable());
                });
    }

    /** Gives a reservation back when its booking could not be made. Best effort: expiry covers a miss. */
    public Mono<Void> release(UUID bookingId) {
        return traced("POST /internal/reservations/{id}/release", (span, ctx) -> tokens.token(AUDIENCE).flatMap(token -> web.post()
                        .uri("/internal/reservations/{id}/release", bookingId)
                        .headers(h -> {
                            h.setBearerAuth(token);
                            h.set("traceparent", span.traceparent());
                            if (ctx.requestId() != null) h.set("X-Request-Id", ctx.requestId());
                        })
                        .retrieve().toBodilessEntity())
                        // One HTTP call to offer-service like an attempt: the same limit (not the
                        // breaker: a release is best effort and says nothing new about offer-service).
                        .transformDeferred(TimeLimiterOperator.of(attemptLimit)))
                .then()
                .onErrorResume(e -> {
                    if (e instanceof org.springframework.web.reactive.function.client.WebClientResponseException.Unauthorized) {
                        tokens.refused(AUDIENCE);
                    }
                    log.warn("could not release the promo reservation of booking {} (it expires by itself): {}",
                            bookingId, e.toString());
                    return Mono.empty();
                });
    }

    /**
     * One call as a CLIENT span under the current request's; the span is what offer-service is
     * told as its parent. An answer that refuses the code is not a failed span; no answer is.
     */
    private <T> Mono<T> traced(String name, BiFunction<TraceSpan, RequestContext, Mono<T>> call) {
        return RequestContext.current().flatMap(ctx -> {
            TraceSpan span = tracing.start(name, Tracing.Kind.CLIENT, ctx.traceparent())
                    .attribute("http.request.method", "POST")
                    .attribute("server.address", props.url());
            return call.apply(span, ctx)
                    .doOnError(e -> { if (!(e instanceof ClinicException)) span.error(e); })
                    .doFinally(signal -> {
                        if (signal == SignalType.CANCEL) span.error("no answer in time");
                        span.end();
                    });
        });
    }

    private Mono<Reservation> reservation(ClientResponse response) {
        HttpStatusCode status = response.statusCode();
        if (status.is2xxSuccessful()) return response.bodyToMono(Reservation.class);
        if (status.value() == 422 || status.value() == 400) {
            return response.bodyToMono(JsonNode.class)
                    .defaultIfEmpty(com.fasterxml.jackson.databind.node.NullNode.getInstance())
                    .flatMap(body -> Mono.error(rejection(status.value(), body)));
        }
        // Our token refused (its key withdrawn): the one retry asks the issuer for a new one.
        if (status.value() == 401) tokens.refused(AUDIENCE);
        return response.releaseBody().then(Mono.error(new OfferServiceFailed(status.value())));
    }

    private static ClinicException rejection(int status, JsonNode body) {
        String detail = body.path("detail").asText(null);
        if (status == 400) return ClinicException.invalid("promoCode", "is not a valid promo code");
        String code = body.path("code").asText("");
        if (!code.startsWith("promo_code_")) {
            // Not one of the contract's promo codes: the client has nothing to act on.
            log.error("offer-service answered 422 with an unexpected code '{}'", code);
            return new OffersUnavailable();
        }
        return new PromoCodeRejected(code, detail, offerScope(body));
    }

    /** The members of offer-service's problem that say when and for what the code applies (docs/internal-apis.md). */
    static final java.util.List<String> SCOPE_FIELDS = java.util.List.of("offerTitle", "offerStartsAt", "offerEndsAt",
            "offerFirstDay", "offerLastDay", "offerOver", "treatmentCategory", "treatmentIds", "locationIds");

    private static java.util.Map<String, Object> offerScope(JsonNode body) {
        var scope = new java.util.LinkedHashMap<String, Object>();
        for (String f : SCOPE_FIELDS) {
            JsonNode v = body.get(f);
            if (v == null || v.isNull()) continue;
            if (v.isArray()) {
                var list = new java.util.ArrayList<String>();
                v.forEach(x -> list.add(x.asText()));
                scope.put(f, list);
            } else if (v.isBoolean()) {
                scope.put(f, v.asBoolean());
            } else {
                scope.put(f, v.asText());
            }
        }
        return scope;
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? e.toString() : e + " (cause: " + root + ")";
    }

    /** offer-service answered with a status that is not part of the reservation API's answers. */
    static final class OfferServiceFailed extends RuntimeException {
        OfferServiceFailed(int status) {
            super("offer-service answered " + status, null, false, false);
        }
    }
}
