package clinic.gateway.audit;

import clinic.gateway.routing.ServiceInstances;
import clinic.kit.audit.AuditEntry;
import clinic.kit.audit.AuditQuery;
import clinic.kit.tracing.TraceSpan;
import clinic.kit.tracing.Tracing;
import clinic.kit.web.RequestContext;
import clinic.kit.web.RequestContextFilter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Asks every service for its part of the audit log, all at once, each with the caller's token (the
 * service checks it again) and a time limit of its own, then merges the answers newest first. A
 * service that does not answer in time, or answers anything but a list, is named as missing and
 * the others' entries still count.
 */
@Component
class AuditFanOut {
    private static final Logger log = LoggerFactory.getLogger(AuditFanOut.class);
    private static final String PATH = "/api/admin/audit";
    private static final ParameterizedTypeReference<List<AuditEntry>> ENTRIES = new ParameterizedTypeReference<>() {};
    /** Up to 1000 entries with their details: well over the 64 KiB the kit allows request bodies. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    /** Same instant: by service, then in the service's own order (its newest first). */
    private static final Comparator<AuditEntry> NEWEST_FIRST =
            Comparator.comparing(AuditEntry::at, Comparator.nullsFirst(Comparator.naturalOrder())).reversed();

    /** The merged list and the services (as they name themselves, e.g. {@code offer-service}) missing from it. */
    record Merged(List<AuditEntry> entries, SortedSet<String> missing) {}

    private record Part(String service, List<AuditEntry> entries) {}

    /** A service answered, but not with its part of the log. */
    private static final class NoPart extends RuntimeException {
        NoPart(String why) {
            super(why, null, false, false);
        }
    }

    private final ServiceInstances instances;
    private final WebClient web;
    private final Tracing tracing;
    private final AuditProperties props;

    AuditFanOut(ServiceInstances instances, WebClient.Builder builder, Tracing tracing, AuditProperties props) {
        this.instances = instances;
        this.web = builder.codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES)).build();
        this.tracing = tracing;
        this.props = props;
    }

    /**
     * @param query         already checked (the gateway refuses a bad one before asking anyone)
     * @param rawParameters the caller's parameters as given, passed on unchanged so every service
     *                      reads exactly what the caller asked
     */
    Mono<Merged> collect(AuditQuery query, Map<String, String> rawParameters, String authorization) {
        return RequestContext.current().defaultIfEmpty(RequestContext.of(null, null))
                .flatMapMany(ctx -> Flux.fromIterable(instances.services())
                        .flatMapSequential(service -> part(service, rawParameters, authorization, ctx)))
                .collectList()
                .map(parts -> merge(parts, query.limit()));
    }

    private static Merged merge(List<Part> parts, int limit) {
        List<AuditEntry> all = new ArrayList<>();
        SortedSet<String> missing = new TreeSet<>();
        for (Part part : parts) {
            if (part.entries() == null) missing.add(part.service());
            else all.addAll(part.entries());
        }
        all.sort(NEWEST_FIRST); // stable: each service's own order survives among equal instants
        return new Merged(List.copyOf(all.subList(0, Math.min(limit, all.size()))), missing);
    }

    private Mono<Part> part(String service, Map<String, String> parameters, String authorization, RequestContext ctx) {
        String name = serviceName(service);
        TraceSpan span = tracing.start("GET " + PATH, Tracing.Kind.CLIENT, ctx.traceparent())
                .attribute("http.request.method", "GET")
                .attribute("server.address", name);
        return instances.call(service, base -> web.get().uri(uri(base, parameters))
                        .headers(h -> {
                            h.set(HttpHeaders.AUTHORIZATION, authorization);
                            h.set(RequestContext.TRACEPARENT, span.traceparent());
                            if (ctx.requestId() != null) h.set(RequestContextFilter.HEADER, ctx.requestId());
                        })
                        .accept(MediaType.APPLICATION_JSON)
                        .exchangeToMono(response -> {
                            span.attribute("http.response.status_code", response.statusCode().value());
                            return entries(response);
                        }))
                .timeout(props.timeout())
                .map(entries -> new Part(name, entries))
                .onErrorResume(e -> {
                    // Why, never the URL: its query may hold an actor's email address.
                    String why = why(e);
                    log.warn("audit log: no answer from {}: {}", name, why);
                    span.error(why);
                    return Mono.just(new Part(name, null));
                })
                .doFinally(signal -> {
                    if (signal == SignalType.CANCEL) span.error("cancelled");
                    span.end();
                });
    }

    private static Mono<List<AuditEntry>> entries(ClientResponse response) {
        if (!response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().then(Mono.error(new NoPart("answered " + response.statusCode().value())));
        }
        return response.bodyToMono(ENTRIES)
                .onErrorMap(e -> !(e instanceof NoPart), e -> new NoPart("answered something other than a list of entries"))
                .defaultIfEmpty(List.of());
    }

    /** Strictly encoded values: an offset such as {@code +01:00} must not arrive as a space. */
    private static URI uri(URI base, Map<String, String> parameters) {
        UriComponentsBuilder b = UriComponentsBuilder.fromUri(base).path(PATH);
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach((key, value) -> {
            b.queryParam(key, "{" + key + "}");
            values.put(key, value);
        });
        return b.encode().buildAndExpand(values).toUri();
    }

    /** How services name themselves ({@code spring.application.name}), as entries' {@code service} do. */
    static String serviceName(String configured) {
        return configured + "-service";
    }

    private static String why(Throwable e) {
        if (e instanceof TimeoutException) return "no answer in time";
        if (e instanceof NoPart) return e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return "unreachable (" + root.getClass().getSimpleName() + ")";
    }
}
