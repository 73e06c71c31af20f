package clinic.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The gateway's database is away (nothing listens where it should be): public writes go ahead and are
 * counted, sign-in calls are refused with 503 {@code service_unavailable}. SharedLimitsTest covers the
 * database that answers too slowly (a held row lock); both end in the same decision.
 */
class StoreDownTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RateLimitFilter filter;

    StoreDownTest() throws IOException {
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        DatabaseClient away = DatabaseClient.create(ConnectionFactories.get(
                "r2dbc:postgresql://postgres:postgres@127.0.0.1:" + nothingListens + "/gateway"));
        RateLimitProperties props = new RateLimitProperties(new RateLimitProperties.Limit(50, 100),
                new RateLimitProperties.Limit(10, 30), false, Duration.ofSeconds(5), Duration.ofMinutes(1));
        SharedBuckets buckets = new SharedBuckets(away, new StaticListableBeanFactory().getBeanProvider(Ticker.class));
        filter = new RateLimitFilter(props, new ClientAddress(props),
                org.springframework.http.converter.json.Jackson2ObjectMapperBuilder.json().build(), buckets,
                new RateLimitMetrics(meters));
    }

    private double storeFailures(String limit, String outcome) {
        return meters.get("clinic.gateway.rate.limit.store.failures").tag("limit", limit).tag("outcome", outcome)
                .counter().count();
    }

    @Test
    void publicWritesGoAheadAndAreCounted() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/bookings").build());
        AtomicBoolean passed = new AtomicBoolean();
        filter.filter(exchange, e -> Mono.fromRunnable(() -> passed.set(true))).block(Duration.ofSeconds(30));
        assertThat(passed).isTrue();
        assertThat(storeFailures("public_writes", "allowed")).isEqualTo(1);
    }

    @Test
    void signInCallsAreRefusedWith503() {
        for (String path : new String[] {"/api/auth/login", "/api/auth/password-reset", "/api/auth/password"}) {
            var exchange = MockServerWebExchange.from(MockServerHttpRequest.post(path).build());
            AtomicBoolean passed = new AtomicBoolean();
            filter.filter(exchange, e -> Mono.fromRunnable(() -> passed.set(true))).block(Duration.ofSeconds(30));
            assertThat(passed).as(path).isFalse();
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
                    .contains("\"code\":\"service_unavailable\"");
        }
        assertThat(storeFailures("login", "refused")).isEqualTo(3);
    }
}
