package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.gateway.ratelimit.ExpiringLimit;
import clinic.gateway.ratelimit.LimitKeys;
import clinic.gateway.ratelimit.RateLimitProperties;
import clinic.gateway.ratelimit.SharedBuckets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issue 19, limits shared across gateway instances: a second gateway (its own application context,
 * connection pool and port) on the same database as the suite's gateway. Requests alternate between
 * the two; the limits must hold for the pair. Limits of the test configuration: 3 public writes and 5
 * sign-in calls per client at once, 10 failed sign-ins per username; the buckets' clock stands still.
 */
class SharedLimitsTest extends GatewayTestBase {
    private static ConfigurableApplicationContext second;
    private static WebTestClient other;
    private static String otherUrl;

    @Autowired
    Environment env;
    @Autowired
    SharedBuckets buckets;
    @Autowired
    List<ExpiringLimit> expiring;
    @Autowired
    DatabaseClient db;

    @BeforeEach
    void secondGateway() {
        if (second != null) return;
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=test"));
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password",
                "spring.flyway.url", "spring.flyway.user", "spring.flyway.password", "spring.mail.host",
                "spring.mail.port", "BOOKING_URL", "OFFER_URL", "CALLBACK_URL", "NOTIFICATION_URL", "ANALYTICS_URL",
                "CLINIC_DOWNSTREAM_TIMEOUT", "CLINIC_AUDIT_TIMEOUT", "clinic.tracing.otlp-endpoint")) {
            args.add("--" + key + "=" + env.getRequiredProperty(key));
        }
        second = new SpringApplicationBuilder(GatewayApplication.class, ManualTime.class).run(args.toArray(String[]::new));
        otherUrl = "http://127.0.0.1:" + second.getEnvironment().getRequiredProperty("local.server.port");
        other = WebTestClient.bindToServer().baseUrl(otherUrl).responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopSecondGateway() {
        if (second != null) second.close();
        second = null;
    }

    private WebTestClient gateway(int i) {
        return i % 2 == 0 ? raw : other;
    }

    private static WebTestClient.ResponseSpec callback(WebTestClient gateway, String client) {
        return gateway.post().uri("/api/callbacks").header("X-Forwarded-For", client)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Sam\"}").exchange();
    }

    private static WebTestClient.ResponseSpec login(WebTestClient gateway, String client, String user, String password) {
        return gateway.post().uri("/api/auth/login").header("X-Forwarded-For", client)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user, "password", password)).exchange();
    }

    @Test
    void thePublicWriteBudgetIsOneForBothGateways() {
        String client = "198.51.100.60";
        int before = CALLBACK.receivedPath("/api/callbacks").size();
        for (int i = 0; i < 3; i++) callback(gateway(i), client).expectStatus().isOk();
        // Each gateway has seen fewer than 3: alone, either would still admit the client.
        for (int i = 0; i < 2; i++) {
            callback(gateway(i), client)
                    .expectStatus().isEqualTo(429)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        }
        assertThat(CALLBACK.receivedPath("/api/callbacks")).hasSize(before + 3);
        // One refill (2 s at 0.5/s) is one more write, on whichever gateway asks first.
        NOW_NANOS.addAndGet(2_000_000_000L);
        callback(other, client).expectStatus().isOk();
        callback(raw, client).expectStatus().isEqualTo(429);
    }

    @Test
    void theSignInBudgetPerClientIsOneForBothGateways() {
        String client = "198.51.100.61";
        for (int i = 0; i < 5; i++) {
            login(gateway(i), client, "nobody-" + i + "@clinic.test", "wrong").expectStatus().isUnauthorized();
        }
        login(other, client, "staff@clinic.test", PASSWORD).expectStatus().isEqualTo(429);
        login(raw, client, "staff@clinic.test", PASSWORD).expectStatus().isEqualTo(429);
    }

    @Test
    void theLockoutCountsFailuresOnBothGateways() {
        String user = "pair-" + UUID.randomUUID() + "@clinic.test";
        double lockoutsBefore = rateLimited("login_lockout");
        for (int i = 0; i < 10; i++) {
            login(gateway(i), randomAddress(), user, "guess-" + i).expectStatus().isUnauthorized();
        }
        for (int i = 0; i < 2; i++) {
            login(gateway(i), randomAddress(), user, "guess-again")
                    .expectStatus().isEqualTo(429)
                    .expectHeader().value(HttpHeaders.RETRY_AFTER, ra -> assertThat(Long.parseLong(ra)).isBetween(1L, 300L))
                    .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        }
        assertThat(rateLimited("login_lockout") - lockoutsBefore).isEqualTo(1);
    }

    @Test
    void aRightPasswordClearsTheCountOnBothGateways() {
        // A user of the test configuration's own: 9 failures, a success, then 10 more failures are allowed.
        String user = "shared@clinic.test";
        for (int i = 0; i < 9; i++) login(gateway(i), randomAddress(), user, "guess-" + i).expectStatus().isUnauthorized();
        login(other, randomAddress(), user, PASSWORD).expectStatus().isOk();
        for (int i = 0; i < 10; i++) login(gateway(i), randomAddress(), user, "guess-" + i).expectStatus().isUnauthorized();
        login(raw, randomAddress(), user, PASSWORD).expectStatus().isEqualTo(429);
        login(other, randomAddress(), user, PASSWORD).expectStatus().isEqualTo(429);
    }

    @Test
    void parallelDecisionsFromTwoInstancesNeverTakeMoreThanTheBucketHolds() {
        SharedBuckets otherBuckets = second.getBean(SharedBuckets.class);
        var limit = new RateLimitProperties.Limit(0.001, 20);
        String key = LimitKeys.of("parallel", UUID.randomUUID().toString());
        List<Long> waits = Flux.range(0, 200)
                .flatMap(i -> (i % 2 == 0 ? buckets : otherBuckets).take(key, limit), 64)
                .collectList().block(Duration.ofMinutes(1));
        assertThat(waits).hasSize(200);
        assertThat(waits.stream().filter(w -> w == 0).count()).isEqualTo(20);
        // The row agrees: nothing left, and the refusals did not drive it below zero.
        Double tokens = db.sql("select tokens from rate_bucket where bucket = :k").bind("k", key)
                .map(r -> r.get("tokens", Double.class)).one().block(Duration.ofSeconds(30));
        assertThat(tokens).isEqualTo(0.0);
    }

    @Test
    void parallelGuessesOnBothGatewaysAreCountedBeforeTheyAreDecided() {
        String user = "race-" + UUID.randomUUID() + "@clinic.test";
        WebClient http = WebClient.create();
        String first = "http://127.0.0.1:" + port;
        List<Integer> statuses = Flux.range(0, 30)
                .flatMap(i -> http.post().uri((i % 2 == 0 ? first : otherUrl) + "/api/auth/login")
                        .header("X-Forwarded-For", randomAddress()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", user, "password", "guess-" + i))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 30)
                .collectList().block(Duration.ofMinutes(2));
        assertThat(statuses).hasSize(30);
        assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(10);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(20);
    }

    // ------------------------------------------------------------ the store slow or away

    private Connection jdbc() throws Exception {
        Connection c = DriverManager.getConnection(env.getRequiredProperty("spring.flyway.url"),
                env.getRequiredProperty("spring.flyway.user"), env.getRequiredProperty("spring.flyway.password"));
        c.setAutoCommit(false);
        return c;
    }

    /** Holds the row's lock in an open transaction: every decision on it waits, as on a stalled database. */
    private static void lock(Connection c, String table, String column, String key) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select 1 from " + table + " where " + column + " = ? for update")) {
            s.setString(1, key);
            assertThat(s.executeQuery().next()).as(table + " row to lock").isTrue();
        }
    }

    private double storeFailures(String limit, String outcome) {
        return meters.get("clinic.gateway.rate.limit.store.failures").tag("limit", limit).tag("outcome", outcome)
                .counter().count();
    }

    @Test
    void aStalledStoreLetsPublicWritesThroughAndCountsThem() throws Exception {
        String client = "198.51.100.62";
        callback(raw, client).expectStatus().isOk();
        double before = storeFailures("public_writes", "allowed");
        int received = CALLBACK.receivedPath("/api/callbacks").size();
        try (Connection c = jdbc()) {
            lock(c, "rate_bucket", "bucket", LimitKeys.of("public_writes", client));
            // More than the client's 3: none is refused while the store cannot decide.
            for (int i = 0; i < 4; i++) callback(raw, client).expectStatus().isOk();
            c.rollback();
        }
        assertThat(CALLBACK.receivedPath("/api/callbacks")).hasSize(received + 4);
        assertThat(storeFailures("public_writes", "allowed") - before).isEqualTo(4);
    }

    @Test
    void aStalledStoreRefusesSignInWith503() throws Exception {
        String client = "198.51.100.63";
        String user = "stall-" + UUID.randomUUID() + "@clinic.test";
        login(raw, client, user, "wrong").expectStatus().isUnauthorized();
        double bucketBefore = storeFailures("login", "refused");
        double lockoutBefore = storeFailures("login_lockout", "refused");
        try (Connection c = jdbc()) {
            // The client's sign-in bucket stalls: refused before the body is read.
            lock(c, "rate_bucket", "bucket", LimitKeys.of("login", client));
            login(raw, client, "staff@clinic.test", PASSWORD)
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("service_unavailable");
            c.rollback();
            // The username's count stalls: refused too, whatever the password.
            lock(c, "login_attempt", "username", LimitKeys.of("login_lockout", user));
            login(raw, randomAddress(), user, "wrong")
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("service_unavailable");
            c.rollback();
        }
        assertThat(storeFailures("login", "refused") - bucketBefore).isEqualTo(1);
        assertThat(storeFailures("login_lockout", "refused") - lockoutBefore).isEqualTo(1);
        // The store is back: so is sign-in.
        login(raw, randomAddress(), "staff@clinic.test", PASSWORD).expectStatus().isOk();
    }

    // ------------------------------------------------------------ clean-up

    private long rows(String sql, String key) {
        return db.sql(sql).bind("k", key).map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(30));
    }

    @Test
    void rowsThatNoLongerLimitAnyoneAreDeletedAndOthersKept() {
        var limit = new RateLimitProperties.Limit(1, 2);
        String refilling = LimitKeys.of("cleanup", UUID.randomUUID().toString());
        String full = LimitKeys.of("cleanup", UUID.randomUUID().toString());
        buckets.take(full, limit).block(Duration.ofSeconds(30));
        AtomicLong later = new AtomicLong(NOW_NANOS.addAndGet(5_000_000_000L));
        buckets.take(refilling, limit).block(Duration.ofSeconds(30));
        db.sql("insert into login_attempt values (:k, array[now() - interval '10 minutes'], true, now() - interval '5 minutes')")
                .bind("k", "expired-" + later.get()).then().block(Duration.ofSeconds(30));
        db.sql("insert into login_attempt values (:k, array[now()], true, now() + interval '5 minutes')")
                .bind("k", "current-" + later.get()).then().block(Duration.ofSeconds(30));

        Flux.fromIterable(expiring).concatMap(ExpiringLimit::prune).then().block(Duration.ofSeconds(30));

        assertThat(rows("select count(*) from rate_bucket where bucket = :k", full)).isZero();
        assertThat(rows("select count(*) from rate_bucket where bucket = :k", refilling)).isOne();
        assertThat(rows("select count(*) from login_attempt where username = :k", "expired-" + later.get())).isZero();
        assertThat(rows("select count(*) from login_attempt where username = :k", "current-" + later.get())).isOne();
        // Deleting a full bucket changes nothing for its client: the next decision starts full again.
        assertThat(Mono.defer(() -> buckets.take(full, limit)).block(Duration.ofSeconds(30))).isZero();
    }
}
