package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/**
 * {@code GET /api/admin/privacy/export?email=} answered by the gateway: the parts of the services
 * holding personal data, asked with the caller's token, merged into the contract's shape; one
 * missing part makes it a 503, never an incomplete answer presented as whole.
 */
class PrivacyExportTest extends GatewayTestBase {
    private static final String PATH = "/api/admin/privacy/export";

    @AfterEach
    void resetStandIns() {
        List.of(BOOKING, OFFER, CALLBACK, NOTIFICATION, ANALYTICS).forEach(Downstream::resetAudit);
    }

    @Test
    void everyPartIsMergedIntoTheContractsShape() {
        BOOKING.privacyAnswer = "{\"bookings\":[{\"reference\":\"BK-AAAAAA\",\"email\":\"sam@example.com\"}]}";
        CALLBACK.privacyAnswer = "{\"callbacks\":[{\"id\":\"c1\"}],\"consents\":[{\"purpose\":\"TERMS_AND_PRIVACY\","
                + "\"policyVersion\":\"2026-01\"}]}";
        NOTIFICATION.privacyAnswer = "{\"newsletter\":{\"status\":\"CONFIRMED\"},\"notifications\":[{\"id\":\"n1\"},{\"id\":\"n2\"}]}";
        String token = token("ADMIN");

        Map<String, Object> got = client().get().uri(b -> b.path(PATH).queryParam("email", "{e}").build(Map.of("e", "Sam+x@example.com")))
                .header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {}).returnResult().getResponseBody();

        assertThat(got).containsEntry("email", "Sam+x@example.com");
        assertThat((List<?>) got.get("bookings")).hasSize(1);
        assertThat((List<?>) got.get("callbacks")).hasSize(1);
        assertThat((List<Object>) got.get("consents")).containsExactly((Object) Map.of("purpose", "TERMS_AND_PRIVACY", "policyVersion", "2026-01"));
        assertThat(got.get("newsletter")).isEqualTo(Map.of("status", "CONFIRMED"));
        assertThat((List<?>) got.get("notifications")).hasSize(2);
        for (Downstream d : List.of(BOOKING, CALLBACK, NOTIFICATION)) {
            var asked = d.receivedPath(PATH);
            assertThat(asked).as(d.name).isNotEmpty();
            var last = asked.get(asked.size() - 1);
            assertThat(last.header("Authorization")).isEqualTo("Bearer " + token);
            assertThat(URLDecoder.decode(last.query(), StandardCharsets.UTF_8)).isEqualTo("email=Sam+x@example.com");
        }
        // Services without personal data in the export's shape are not asked.
        assertThat(ANALYTICS.receivedPath(PATH)).isEmpty();
    }

    @Test
    void aServiceThatDoesNotAnswerMakesItA503NamingIt() {
        BOOKING.privacyAnswer = "{\"bookings\":[]}";
        CALLBACK.privacyStatus = 500;
        client().get().uri(PATH + "?email=sam@example.com").header("Authorization", "Bearer " + token("ADMIN"))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.code").isEqualTo("service_unavailable")
                .jsonPath("$.missing[0]").isEqualTo("callback-service")
                .jsonPath("$.bookings").doesNotExist();
    }

    @Test
    void onlyAdminsAskAndTheAddressMustBeOne() {
        client().get().uri(PATH + "?email=sam@example.com").exchange().expectStatus().isUnauthorized();
        client().get().uri(PATH + "?email=sam@example.com").header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isForbidden();
        client().get().uri(PATH + "?email=not-an-address").header("Authorization", "Bearer " + token("ADMIN"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("email");
        client().get().uri(PATH).header("Authorization", "Bearer " + token("ADMIN"))
                .exchange().expectStatus().isBadRequest();
    }
}
