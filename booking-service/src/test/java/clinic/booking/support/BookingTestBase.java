package clinic.booking.support;

import clinic.testsupport.TestClock;
import clinic.booking.offers.OfferClient;
import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One Spring context for every integration test of the module (same configuration, so it is
 * cached): real PostgreSQL and Kafka from test-support, the demo clinic seeded, the fake
 * offer-service, and a clock the tests set.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "clinic.booking.seed-demo-clinic=true",
        "clinic.outbox.poll-interval=100ms",
        "logging.structured.format.console=",
        // Graceful shutdown waits for the tests' own keep-alive client connections: 30 s lost per run.
        "server.shutdown=immediate",
        // ConcurrentBookingTest sends 50 at once to test the exclusion constraint, not the load
        // shedding in front of it (CreationLimitTest does that).
        "clinic.booking.max-creations-in-flight=64"})
@Import(BookingTestBase.TestClockConfig.class)
public abstract class BookingTestBase {
    /** A Wednesday in winter (GMT = UTC), so local times read the same as the instants. */
    public static final Instant DEFAULT_NOW = Instant.parse("2027-01-20T08:00:00Z");
    /** The service's "now", frozen, moved by tests. One per JVM: the Spring context is shared too. */
    protected static final TestClock CLOCK = TestClock.frozenAt(DEFAULT_NOW);
    protected static final TestTokens TOKENS = new TestTokens(CLOCK);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "booking");
        r.add("clinic.offers.url", FakeOfferService::url);
        r.add("clinic.security.token-uri", () -> FakeOfferService.url() + "/oauth2/token");
        r.add("clinic.security.client-secret", () -> FakeOfferService.CLIENT_SECRET);
    }

    @TestConfiguration
    static class TestClockConfig {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @Autowired protected WebTestClient http;
    @Autowired protected DatabaseClient db;
    @Autowired protected OfferClient offerClient;
    @Autowired protected io.micrometer.core.instrument.MeterRegistry meters;

    @BeforeEach
    void freshClockAndBreaker() {
        CLOCK.reset();
        offerClient.breaker().reset();
        http = http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void resetClock() {
        CLOCK.reset();
    }

    protected static String staffToken() {
        return TOKENS.issue("staff@clinic.test", Set.of("STAFF"), Duration.ofHours(1));
    }

    protected static String adminToken() {
        return TOKENS.issue("admin@clinic.test", Set.of("ADMIN"), Duration.ofHours(1));
    }

    /** A request of the signed-in admin (the catalogue is set up through the administration API). */
    protected WebTestClient.ResponseSpec admin(org.springframework.http.HttpMethod method, String path, Object body) {
        var spec = http.method(method).uri(path).header("Authorization", "Bearer " + adminToken());
        return body == null ? spec.exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** A location open Monday to Saturday 09:00-17:00, created through the admin API. */
    protected void createLocation(String id) {
        Map<String, Object> hours = new LinkedHashMap<>();
        for (String day : java.util.List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")) {
            hours.put(day, java.util.List.of(Map.of("from", "09:00", "to", "17:00")));
        }
        admin(org.springframework.http.HttpMethod.POST, "/api/admin/locations", Map.of("id", id, "name", "Clinic " + id,
                "postalAddress", Map.of("line1", "1 Test Street", "town", "Sheffield", "postcode", "S1 1AA"),
                "phone", "0114 496 0999", "email", id + "@clinic.example", "openingHours", hours, "active", true))
                .expectStatus().isCreated();
    }

    /** A therapist giving {@code treatments}, working Monday to Saturday 09:00-17:00 at {@code locationId}, lunch 13:00-13:30. */
    protected void createTherapist(String id, String locationId, String... treatments) {
        admin(org.springframework.http.HttpMethod.POST, "/api/admin/therapists", Map.of("id", id, "name", "Therapist " + id,
                "treatmentIds", java.util.List.of(treatments), "active", true)).expectStatus().isCreated();
        java.util.List<Object> days = new java.util.ArrayList<>();
        for (String day : java.util.List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")) {
            days.add(Map.of("dayOfWeek", day, "locationId", locationId, "from", "09:00", "to", "17:00",
                    "breaks", java.util.List.of(Map.of("from", "13:00", "to", "13:30"))));
        }
        admin(org.springframework.http.HttpMethod.PUT, "/api/admin/therapists/" + id + "/working-hours",
                Map.of("days", days)).expectStatus().isOk();
    }

    /** A valid booking body; tests override what they are about. */
    protected static Map<String, Object> booking(String locationId, String treatmentId, String therapistId,
                                                 Instant startsAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", locationId);
        body.put("treatmentId", treatmentId);
        if (therapistId != null) body.put("therapistId", therapistId);
        body.put("startsAt", startsAt.toString());
        body.put("customer", new LinkedHashMap<>(Map.of("name", "Sam Taylor", "email", "sam@example.com",
                "phone", "07911 123456")));
        return body;
    }

    protected WebTestClient.ResponseSpec post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected long sql(String query) {
        return db.sql(query).map(r -> ((Number) r.get(0)).longValue()).one().block();
    }
}
