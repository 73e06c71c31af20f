package clinic.gateway.privacy;

import clinic.gateway.routing.ServiceInstances;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import clinic.kit.web.RequestContextFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Asks every service that holds personal data for its part of one person's export, all at once,
 * each with the caller's token (the service checks it again) and a time limit, as the audit log's
 * fan-out does. Unlike the audit log, a missing part fails the whole export: a subject access
 * answer that silently lacks a service's data would be presented as complete and would be wrong.
 */
@Component
class PrivacyExport {
    private static final Logger log = LoggerFactory.getLogger(PrivacyExport.class);
    private static final String PATH = "/api/admin/privacy/export";
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    /** The contract's shape: {@code {"email","bookings","callbacks","consents","newsletter","notifications"}}. */
    record Export(String email, JsonNode bookings, JsonNode callbacks, JsonNode consents, JsonNode newsletter,
                  JsonNode notifications) {}

    private final ServiceInstances instances;
    private final WebClient web;
    private final Tracing tracing;
    private final PrivacyProperties props;

    PrivacyExport(ServiceInstances instances, WebClient.Builder builder, Tracing tracing, PrivacyProperties props) {
        this.instances = instances;
        this.web = builder.codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES)).build();
        this.tracing = tracing;
        this.props = props;
    }

    Mono<Export> collect(String email, String authorization) {
        return RequestContext.current().defaultIfEmpty(RequestContext.of(null, null))
                .flatMapMany(ctx -> Flux.fromIterable(props.services())
                        .flatMap(service -> part(service, email, authorization, ctx)
                                .map(json -> Map.entry(service, Optional.of(json)))
                                .onErrorResume(e -> {
                                    // Why, never the URL: its query holds the person's email address.
                                    log.warn("privacy export: no part from {}-service: {}", service,
                                            e.getClass().getSimpleName());
                                    return Mono.just(Map.entry(service, Optional.<JsonNode>empty()));
                                })))
                .collectList()
                .map(parts -> merge(email, parts));
    }

    private static Export merge(String email, List<Map.Entry<String, Optional<JsonNode>>> parts) {
        Map<String, JsonNode> got = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        for (var p : parts) {
            if (p.getValue().isPresent()) got.put(p.getKey(), p.getValue().get());
            else missing.add(p.getKey() + "-service");
        }
        if (!missing.isEmpty()) throw new ExportIncomplete(missing);
        return new Export(email, list(got.get("booking"), "bookings"), list(got.get("callback"), "callbacks"),
                list(got.get("callback"), "consents"), object(got.get("notification"), "newsletter"),
                list(got.get("notification"), "notifications"));
    }

    private static JsonNode list(JsonNode part, String field) {
        JsonNode value = part == null ? null : part.get(field);
        return value != null && value.isArray() ? value : JsonNodeFactory.instance.arrayNode();
    }

    /** An empty object when the person has none (e.g. never subscribed to the newsletter). */
    private static JsonNode object(JsonNode part, String field) {
        JsonNode value = part == null ? null : part.get(field);
        return value != null && value.isObject() ? value : JsonNodeFactory.instance.objectNode();
    }

    private Mono<JsonNode> part(String service, String email, String authorization, RequestContext ctx) {
        TraceSpan span = tracing.start("GET " + PATH, Tracing.Kind.CLIENT, ctx.traceparent())
                .attribute("http.request.method", "GET")
                .attribute("server.address", service + "-service");
        return instances.call(service, base -> web.get()
                        .uri(UriComponentsBuilder.fromUri(base).path(PATH).queryParam("email", "{email}")
                                .encode().buildAndExpand(Map.of("email", email)).toUri())
                        .headers(h -> {
                            h.set(HttpHeaders.AUTHORIZATION, authorization);
                            h.set(RequestContext.TRACEPARENT, span.traceparent());
                            if (ctx.requestId() != null) h.set(RequestContextFilter.HEADER, ctx.requestId());
                        })
                        .accept(MediaType.APPLICATION_JSON)
                        .exchangeToMono(response -> {
                            span.attribute("http.response.status_code", response.statusCode().value());
                            if (!response.statusCode().is2xxSuccessful()) {
                                return response.releaseBody().then(Mono.error(
                                        new IllegalStateException("answered " + response.statusCode().value())));
                            }
                            return response.bodyToMono(JsonNode.class)
                                    .filter(JsonNode::isObject)
                                    .switchIfEmpty(Mono.error(new IllegalStateException("answered no object")));
                        }))
                .timeout(props.timeout())
                .doOnError(e -> span.error(e.getClass().getSimpleName()))
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) span.error("cancelled");
                    span.end();
                });
    }
}
