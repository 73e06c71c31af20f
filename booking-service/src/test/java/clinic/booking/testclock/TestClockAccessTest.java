package clinic.booking.testclock;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.FakeOfferService;
import clinic.testsupport.TestInfra;
import clinic.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test-clock profile as the system tests use it, under the resource server: only an ADMIN's
 * sign-in token moves the clock (not a staff member's, not a service's, not an anonymous caller),
 * and tokens keep working while the clock is days ahead (their expiry is checked against real time,
 * or the staff desk's no-show test could not record attendance after moving the clock).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.structured.format.console=",
        "server.shutdown=immediate"})
@ActiveProfiles({"local", "test-clock"})
// Closed after this class: a cached context of its own (its own database) would stay in
// booking-service's consumer group and could be given privacy.events' partitions, handling later
// tests' erasure events against the wrong database (ErasureTest then waits in vain).
@DirtiesContext
class TestClockAccessTest {
    /** Issued now by real time, as the gateway would: the service's own clock is the one being moved. */
    private static final TestTokens TOKENS = new TestTokens();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "booking");
        r.add("clinic.offers.url", FakeOfferService::url);
    }

    @Autowired WebTestClient http;

    @AfterEach
    void resetClock() {
        http.delete().uri("/internal/test-clock").header("Authorization", bearer(admin())).exchange()
                .expectStatus().isOk();
    }

    @Test
    void onlyAnAdminMovesTheClock() {
        move(null, 60).expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        move(TOKENS.issue("staff@clinic.test", Set.of("STAFF"), Duration.ofMinutes(5)), 60)
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        move(TOKENS.service("offer-service", "booking-service", Duration.ofMinutes(5)), 60)
                .expectStatus().isForbidden();
        move(TestTokens.untrusted("someone-else").issue("admin@clinic.test", Set.of("ADMIN"), Duration.ofMinutes(5)), 60)
                .expectStatus().isUnauthorized();

        Instant before = Instant.now();
        Map<?, ?> moved = move(admin(), 3 * 24 * 3600).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(moved.get("offsetSeconds")).isEqualTo(3 * 24 * 3600);
        assertThat(Instant.parse((String) moved.get("now"))).isAfterOrEqualTo(before.plus(Duration.ofDays(3)));
    }

    @Test
    void tokensOfTenMinutesStillWorkWithTheClockThreeDaysAhead() {
        String staff = TOKENS.issue("staff@clinic.test", Set.of("STAFF"), Duration.ofMinutes(10));
        move(admin(), 3 * 24 * 3600).expectStatus().isOk();

        String day = LocalDate.now(ZoneOffset.UTC).plusDays(3).toString();
        http.get().uri("/api/staff/bookings?locationId=sheffield&date=" + day)
                .header("Authorization", bearer(staff)).exchange()
                .expectStatus().isOk();
        // And the admin, whose token is checked by the same rule on /internal.
        http.get().uri("/internal/test-clock").header("Authorization", bearer(admin())).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.offsetSeconds").isEqualTo(3 * 24 * 3600);
    }

    private WebTestClient.ResponseSpec move(String token, long seconds) {
        var spec = http.put().uri("/internal/test-clock").contentType(MediaType.APPLICATION_JSON);
        if (token != null) spec = spec.header("Authorization", bearer(token));
        return spec.bodyValue(Map.of("offsetSeconds", seconds)).exchange();
    }

    private static String admin() {
        return TOKENS.issue("admin@clinic.test", Set.of("ADMIN"), Duration.ofMinutes(10));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
