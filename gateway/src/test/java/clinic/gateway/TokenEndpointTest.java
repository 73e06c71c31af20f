package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** Client credentials for the platform's services: only a known client with its secret, only for its audiences. */
class TokenEndpointTest extends GatewayTestBase {
    private static final String SECRET = "test-booking-client-secret";

    private WebTestClient.ResponseSpec ask(String client, String secret, String audience) {
        var form = BodyInserters.fromFormData("grant_type", "client_credentials");
        if (audience != null) form = form.with("audience", audience);
        return client().post().uri("/oauth2/token").headers(h -> h.setBasicAuth(client, secret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).exchange();
    }

    @Test
    void aServiceGetsAServiceTokenForItsAudienceOnly() throws Exception {
        JsonNode body = ask("booking-service", SECRET, "offer-service").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(300);
        JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("booking-service");
        assertThat(claims.getAudience()).containsExactly("offer-service");
        assertThat(claims.getStringListClaim("roles")).containsExactly("SERVICE");

        // A service token is not a person's: it opens no admin, staff or marketing door.
        client().get().uri("/api/admin/keys").header("Authorization", "Bearer " + body.get("access_token").asText())
                .exchange().expectStatus().isForbidden();

        ask("booking-service", "wrong-secret", "offer-service").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_client");
        ask("nobody", SECRET, "offer-service").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_client");
        ask("booking-service", SECRET, "analytics-service").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("invalid_target");
        client().post().uri("/oauth2/token").headers(h -> h.setBasicAuth("booking-service", SECRET))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("grant_type", "password")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("unsupported_grant_type");
    }
}
