package clinic.offer;

import clinic.testsupport.TestClock;
import clinic.contracts.catalogue.LocationChanged;
import clinic.contracts.catalogue.TreatmentChanged;
import clinic.testsupport.TestTokens;
import clinic.offer.catalogue.CatalogueCopy;
import clinic.testsupport.TestInfra;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One running offer-service (shared by the test classes that extend this, through Spring's
 * context cache) on a fresh database of the real PostgreSQL, the shared real Kafka broker, the
 * demo catalogue in its catalogue copy and a clock tests may move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OfferServiceTestBase.ClockConfig.class)
public abstract class OfferServiceTestBase {
    /** Real time, shifted when a test stands on a clock-change day or after a reservation's expiry. */
    @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {
        @org.springframework.context.annotation.Bean
        @org.springframework.context.annotation.Primary
        TestClock testClock() {
            return TestClock.flowing();
        }
    }

    protected static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};
    protected static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TestTokens JWT = new TestTokens(Clock.systemUTC());

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "offer");
        properties().forEach((k, v) -> r.add(k, () -> v));
    }

    /** Settings of a test instance (also given to the second instance some tests start). */
    protected static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        // Its own consumer group: contexts kept alive by Spring's test cache must not take each other's events.
        p.put("spring.application.name", "offer-service-test-" + UUID.randomUUID().toString().substring(0, 8));
        p.put("clinic.offers.lifecycle-interval", "250ms");
        p.put("clinic.offers.expiry-interval", "500ms");
        p.put("clinic.outbox.poll-interval", "100ms");
        // booking-service's erasure endpoint and the issuer's token endpoint (erasure on request)
        p.put("clinic.privacy.booking-url", clinic.testsupport.FakeErasureOwner.url());
        p.put("clinic.security.token-uri", clinic.testsupport.FakeErasureOwner.url() + "/oauth2/token");
        p.put("clinic.security.client-secret", clinic.testsupport.FakeErasureOwner.CLIENT_SECRET);
        return p;
    }

    @Autowired protected WebTestClient web;
    @Autowired protected TestClock clock;
    @Autowired protected Environment env;
    @LocalServerPort protected int port;

    /** Generous: the tests assert outcomes, not speed, and may share a busy machine. */
    @BeforeEach
    void patientClient() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Autowired protected CatalogueCopy catalogue;

    /**
     * The demo catalogue in the copy, as booking-service's events would leave it (dated long ago, so
     * a test's own events are newer). Tests of the events themselves use ids of their own.
     */
    @BeforeEach
    void demoCatalogue() {
        Instant longAgo = Instant.parse("2026-01-01T00:00:00Z");
        for (var t : List.of(
                new TreatmentChanged("sports-massage-30", "Sports massage (30 min)", "sports-massage", 30, 3500, "GBP", null, true, longAgo),
                new TreatmentChanged("sports-massage-45", "Sports massage (45 min)", "sports-massage", 45, 4550, "GBP", null, true, longAgo),
                new TreatmentChanged("sports-massage-60", "Sports massage (60 min)", "sports-massage", 60, 5500, "GBP", null, true, longAgo),
                new TreatmentChanged("physio-assessment", "Physiotherapy assessment", "physiotherapy", 45, 4950, "GBP", null, true, longAgo))) {
            catalogue.upsert(t).block();
        }
        for (String id : List.of("sheffield", "doncaster", "rotherham", "hathersage", "chesterfield")) {
            catalogue.upsert(new LocationChanged(id, id.substring(0, 1).toUpperCase() + id.substring(1), "Europe/London",
                    null, null, null, null, Map.of(), true, longAgo)).block();
        }
    }

    @AfterEach
    void resetTestDoubles() {
        clock.reset();
    }

    /** Long-lived, because tests move the service's clock (which checks expiry) by months. */
    protected static String token(String... roles) {
        // SERVICE is what booking-service's client-credentials token says, for this audience.
        if (roles.length == 1 && roles[0].equals("SERVICE")) {
            return JWT.service("booking-service", "offer-service", Duration.ofDays(3650));
        }
        return JWT.issue("tester@clinic.test", Set.of(roles), Duration.ofDays(3650));
    }

    protected static String uniqueCode(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase();
    }

    /** A valid offer body: 10% off sports massage everywhere; tests change what they test. */
    protected static Map<String, Object> offer(String code, Instant startsAt, Instant endsAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("title", "Test offer " + code);
        body.put("description", "For tests");
        body.put("percentOff", 10);
        body.put("treatmentCategory", "sports-massage");
        body.put("startsAt", startsAt.toString());
        body.put("endsAt", endsAt.toString());
        return body;
    }

    protected WebTestClient.ResponseSpec postOffer(Object body, String... roles) {
        var request = web.post().uri("/api/marketing/offers").contentType(MediaType.APPLICATION_JSON);
        if (roles.length > 0) request = request.header("Authorization", "Bearer " + token(roles));
        return request.bodyValue(body).exchange();
    }

    /** Creates the offer as marketing and returns the response body. */
    protected Map<String, Object> createOffer(Map<String, Object> body) {
        return postOffer(body, "MARKETING").expectStatus().isCreated().expectBody(JSON).returnResult().getResponseBody();
    }

    /** A booking-service reservation request for a 60-minute sports massage at 55.00. */
    protected static Map<String, Object> reservation(String code, String email, Instant appointmentAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bookingId", UUID.randomUUID().toString());
        body.put("bookingReference", "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
        body.put("code", code);
        body.put("customerEmail", email);
        body.put("treatmentId", "sports-massage-60");
        body.put("treatmentCategory", "sports-massage");
        body.put("locationId", "sheffield");
        body.put("startsAt", appointmentAt.toString());
        body.put("pricePence", 5500);
        return body;
    }

    protected WebTestClient.ResponseSpec reserve(Map<String, Object> body) {
        return web.post().uri("/internal/reservations").header("Authorization", "Bearer " + token("SERVICE"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    /**
     * Sends n reservation requests at once (one thread each, released together), request i to the
     * instance on {@code portOf(i)}, and returns every answer.
     */
    protected List<HttpResponse<String>> reserveConcurrently(int n, IntUnaryOperator portOf,
                                                             IntFunction<Map<String, Object>> body) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Bearer " + token("SERVICE");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                URI uri = URI.create("http://127.0.0.1:" + portOf.applyAsInt(i) + "/internal/reservations");
                String json = MAPPER.writeValueAsString(body.apply(i));
                futures.add(pool.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (var f : futures) answers.add(f.get());
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    protected static Map<String, Object> json(HttpResponse<String> r) {
        try {
            return MAPPER.readValue(r.body(), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    protected Connection jdbc() throws SQLException {
        return DriverManager.getConnection(env.getProperty("spring.flyway.url"),
                env.getProperty("spring.flyway.user"), env.getProperty("spring.flyway.password"));
    }

    /** Rows of a query, each column by its label. */
    protected List<Map<String, Object>> sql(String query, Object... args) {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected long sqlLong(String query, Object... args) {
        return ((Number) sql(query, args).get(0).values().iterator().next()).longValue();
    }

    /** Events of one type for one offer written to the outbox (published or not). */
    protected long events(String type, Object offerId) {
        return sqlLong("select count(*) from outbox_event where event_type = ? and event_key = ?", type,
                offerId.toString());
    }
}
