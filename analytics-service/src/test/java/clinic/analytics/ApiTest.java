package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Roles, and bad input as 400/404 problem documents with the contract's codes. */
class ApiTest extends AnalyticsTestBase {

    @Test
    void analyticsNeedsMarketingOrAdmin() {
        String path = "/api/analytics/summary?from=2030-01-01&to=2030-01-31";
        web.get().uri(path).exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        web.get().uri(path).headers(h -> h.setBearerAuth(token("STAFF"))).exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        web.get().uri(path).headers(h -> h.setBearerAuth(token("ADMIN"))).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.bookings.count").isNumber();
        JsonNode s = getJson(path);
        assertThat(s.at("/bookings/count").isNumber()).isTrue();
        assertThat(s.has("revenuePence")).isTrue();
        assertThat(s.at("/callbacks").has("medianMinutesToFirstAttempt")).isTrue();
    }

    @Test
    void missingOrBadDatesAreValidationFailuresNamingTheField() {
        problem("/api/analytics/summary?to=2030-01-31", "from");
        problem("/api/analytics/summary?from=2030-01-01", "to");
        problem("/api/analytics/summary?from=yesterday&to=2030-01-31", "from");
        problem("/api/analytics/summary?from=2030-01-01&to=2030-02-30", "to");
        problem("/api/analytics/summary?from=2030-02-01&to=2030-01-31", "to");
        problem("/api/analytics/bookings-per-day?from=2030-02-01", "to");
        problem("/api/analytics/bookings-per-day?from=2030-01-01&to=2032-01-01", "to");
    }

    @Test
    void anUnknownOfferIsNotFound() {
        web.get().uri("/api/analytics/offers/" + UUID.randomUUID()).headers(h -> h.setBearerAuth(token("MARKETING")))
                .exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    private void problem(String path, String field) {
        web.get().uri(path).headers(h -> h.setBearerAuth(token("MARKETING"))).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo(field);
    }
}
