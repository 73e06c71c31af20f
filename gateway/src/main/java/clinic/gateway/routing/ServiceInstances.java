package clinic.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.addOriginalRequestUrl;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.containsEncodedParts;

import java.net.ConnectException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Resolves {@code clinic://<service>} route URIs to one of the service's instances, round robin.
 * An instance that refuses connections is skipped for a while; a retried GET therefore lands on
 * another instance. Runs after the route's URL is built and before the HTTP client sends. The
 * gateway's own calls to services (the audit log's fan-out) choose instances the same way through
 * {@link #call}.
 */
@Component
public class ServiceInstances implements GlobalFilter, Ordered {
    static final String SCHEME = "clinic";

    /** In configuration order, so everything that walks the services does it in one order. */
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private final long backoffNanos;
    private final LongSupplier nanoTime = System::nanoTime;

    ServiceInstances(ServiceProperties props) {
        this.backoffNanos = props.instanceBackoff().toNanos();
        props.services().forEach((name, urls) -> {
            if (urls == null || urls.isEmpty()) {
                throw new IllegalStateException("clinic.gateway.services." + name + ": no URL configured");
            }
            for (URI u : urls) {
                if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                    throw new IllegalStateException("clinic.gateway.services." + name + ": '" + u
                            + "' is not an http(s) URL with a host");
                }
            }
            pools.put(name, new Pool(List.copyOf(urls)));
        });
    }

    private final class Pool {
        final List<URI> instances;
        final AtomicInteger next = new AtomicInteger();
        final AtomicLongArray downUntil;

        Pool(List<URI> instances) {
            this.instances = instances;
            this.downUntil = new AtomicLongArray(instances.size());
        }

        int choose() {
            int n = instances.size();
            int start = Math.floorMod(next.getAndIncrement(), n);
            long now = nanoTime.getAsLong();
            for (int i = 0; i < n; i++) {
                int candidate = (start + i) % n;
                if (downUntil.get(candidate) - now <= 0) return candidate;
            }
            return start; // all look down: try anyway rather than refuse outright
        }

        void markDown(int index) {
            downUntil.set(index, nanoTime.getAsLong() + backoffNanos);
        }
    }

    /** The configured services' names ({@code clinic.gateway.services} keys: booking, offer, …). */
    public Set<String> services() {
        return pools.keySet();
    }

    /**
     * Calls one instance of {@code service} (base URL in, answer out). An instance that refuses the
     * connection is skipped for a while, as for routed requests, and the call goes to the next one,
     * each instance at most once; other failures are the caller's to judge.
     */
    public <T> Mono<T> call(String service, Function<URI, Mono<T>> call) {
        Pool pool = pools.get(service);
        if (pool == null) {
            return Mono.error(new IllegalStateException("no instances configured for service '" + service + "'"));
        }
        return attempt(pool, call, pool.instances.size());
    }

    private <T> Mono<T> attempt(Pool pool, Function<URI, Mono<T>> call, int instancesLeft) {
        return Mono.defer(() -> {
            int index = pool.choose();
            return call.apply(pool.instances.get(index))
                    .onErrorResume(ServiceInstances::refused, e -> {
                        pool.markDown(index);
                        return instancesLeft > 1 ? attempt(pool, call, instancesLeft - 1) : Mono.error(e);
                    });
        });
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI url = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (url == null || !SCHEME.equals(url.getScheme())) return chain.filter(exchange);
        Pool pool = pools.get(url.getHost());
        if (pool == null) {
            return Mono.error(new IllegalStateException("no instances configured for service '" + url.getHost() + "'"));
        }
        int index = pool.choose();
        URI instance = pool.instances.get(index);
        URI target = UriComponentsBuilder.fromUri(url)
                .scheme(instance.getScheme()).host(instance.getHost()).port(instance.getPort())
                .build(containsEncodedParts(url)).toUri();
        addOriginalRequestUrl(exchange, url);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, target);
        return chain.filter(exchange).doOnError(e -> {
            if (refused(e)) pool.markDown(index);
        });
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) return true;
        }
        return false;
    }

    @Override
    public int getOrder() {
        // After the route URL is built (10000), before the load balancer (10150) and the HTTP client.
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 100;
    }
}
