package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class LoginTest extends GatewayTestBase {

    private WebTestClient.ResponseSpec login(String username, String password) {
        return client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("username", username, "password", password))
                .exchange();
    }

    @Test
    void staffSignInAndReachStaffEndpointsButNotMarketingOnes() throws Exception {
        JsonNode body = login("staff@clinic.test", PASSWORD)
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, cc -> assertThat(cc).contains("no-store"))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.get("expiresIn").asInt()).isEqualTo(900);
        assertThat(body.get("roles")).hasSize(1);
        assertThat(body.get("roles").get(0).asText()).isEqualTo("STAFF");
        String token = body.get("accessToken").asText();
        // Signed by the issuer's current key (ES256, its kid), for this user and role.
        com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(signingKeys.signing().block().kid());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("staff@clinic.test");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("STAFF");

        client().get().uri("/api/staff/bookings?locationId=sheffield&date=2027-02-10")
                .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk();
        client().get().uri("/api/marketing/offers")
                .header("Authorization", "Bearer " + token).exchange().expectStatus().isForbidden();
    }

    @Test
    void usernamesAreCaseInsensitive() {
        login("  Marketing@Clinic.TEST ", PASSWORD).expectStatus().isOk()
                .expectBody().jsonPath("$.roles[0]").isEqualTo("MARKETING");
    }

    @Test
    void badCredentialsLookTheSameForWrongPasswordsAndUnknownUsers() {
        for (String[] attempt : new String[][] {
                {"admin@clinic.test", "wrong-password"},
                {"nobody-" + UUID.randomUUID() + "@clinic.test", PASSWORD},
                {"admin@clinic.test", "x".repeat(100)}}) {
            login(attempt[0], attempt[1])
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("bad_credentials")
                    .jsonPath("$.accessToken").doesNotExist();
        }
    }

    @Test
    void tenFailuresLockAnUnknownUsernameToo() {
        // Nothing tells an attacker whether the username exists.
        String user = "marketing@clinic.test";
        String other = "lock-" + UUID.randomUUID() + "@clinic.test";
        double lockoutsBefore = rateLimited("login_lockout");
        for (int i = 0; i < 10; i++) {
            login(other, "guess-" + i).expectStatus().isUnauthorized();
        }
        login(other, "guess-11")
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, ra -> assertThat(Long.parseLong(ra)).isBetween(1L, 300L))
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        assertThat(rateLimited("login_lockout") - lockoutsBefore).isEqualTo(1);
        // Other usernames are not affected.
        login(user, PASSWORD).expectStatus().isOk();
    }

    @Test
    void tenFailuresLockAUsernameEvenAgainstTheRightPassword() {
        // A user of its own (test configuration), so other tests' sign-ins stay unaffected.
        for (int i = 0; i < 10; i++) {
            login("lockme@clinic.test", "guess-" + i).expectStatus().isUnauthorized();
        }
        login("lockme@clinic.test", PASSWORD)
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
    }

    @Test
    void malformedSignInsAreProblemsNotErrors() {
        client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\":")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"username\":\"a\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("password");
        client().get().uri("/api/auth/login").exchange().expectStatus().value(s -> assertThat(s).isIn(404, 405));
    }
}
