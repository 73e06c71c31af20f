package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An account's life through the gateway: invited by an admin (mail with a single-use link) →
 * chooses a password (weak and common ones refused) → signs in → resets by mail → the old
 * password is refused → roles edited → disabled: sign-in refused and the token already issued refused.
 */
class AccountLifecycleTest extends GatewayTestBase {
    private static final Pattern LINK = Pattern.compile("/set-password\\.html\\?token=([A-Za-z0-9_%-]+)");

    private static String linkToken(String mail) {
        Matcher m = LINK.matcher(mail);
        assertThat(m.find()).as("a set-password link in: " + mail).isTrue();
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private WebTestClient.ResponseSpec post(String path, Object body, String token) {
        var spec = client().post().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (token != null) spec = spec.header("Authorization", "Bearer " + token);
        return spec.bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec login(String user, String password) {
        return post("/api/auth/login", Map.of("username", user, "password", password), null);
    }

    @Test
    void inviteSetPasswordSignInResetEditDisable() {
        String admin = token("ADMIN");
        String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.test";

        post("/api/admin/users", Map.of("email", email, "name", "Alex Moss", "roles", List.of("STAFF")), token("STAFF"))
                .expectStatus().isForbidden();
        post("/api/admin/users", Map.of("email", email, "name", "Alex Moss", "roles", List.of("SERVICE")), admin)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation_failed");
        JsonNode user = post("/api/admin/users", Map.of("email", email.toUpperCase(), "name", "Alex Moss",
                        "roles", List.of("STAFF")), admin)
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(user.get("email").asText()).isEqualTo(email);
        assertThat(user.get("disabled").asBoolean()).isFalse();
        assertThat(user.has("passwordHash")).isFalse();
        String id = user.get("id").asText();
        post("/api/admin/users", Map.of("email", email, "name", "Again", "roles", List.of("STAFF")), admin)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("user_exists");

        // No password yet: nothing to sign in with.
        login(email, "anything-at-all-123").expectStatus().isUnauthorized();

        String invite = linkToken(awaitMail(email, 1));
        post("/api/auth/password", Map.of("token", invite, "password", "short-1"), null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("weak_password");
        post("/api/auth/password", Map.of("token", invite, "password", "Password1234"), null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("weak_password");
        post("/api/auth/password", Map.of("token", "made-up", "password", "a fine long passphrase"), null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("invalid_token");
        post("/api/auth/password", Map.of("token", invite, "password", "first chosen passphrase"), null)
                .expectStatus().isNoContent();
        // Single use.
        post("/api/auth/password", Map.of("token", invite, "password", "another long passphrase"), null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("invalid_token");

        login(email, "first chosen passphrase").expectStatus().isOk()
                .expectBody().jsonPath("$.roles[0]").isEqualTo("STAFF");

        // Reset: 202 for any address; a mail only for a real one.
        post("/api/auth/password-reset", Map.of("email", "nobody-" + UUID.randomUUID() + "@clinic.test"), null)
                .expectStatus().isAccepted();
        post("/api/auth/password-reset", Map.of("email", email), null).expectStatus().isAccepted();
        String reset = linkToken(awaitMail(email, 2));
        post("/api/auth/password", Map.of("token", reset, "password", "second chosen passphrase"), null)
                .expectStatus().isNoContent();
        login(email, "first chosen passphrase").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("bad_credentials");

        client().put().uri("/api/admin/users/{id}", id).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("roles", List.of("STAFF", "MARKETING")))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.roles.length()").isEqualTo(2);
        String token = login(email, "second chosen passphrase").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("accessToken").asText();
        client().get().uri("/api/marketing/offers").header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isOk();
        client().get().uri("/api/admin/users").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$[?(@.email == '" + email + "')].name").isEqualTo(List.of("Alex Moss"));

        post("/api/admin/users/" + id + "/disable", Map.of(), admin).expectStatus().isOk()
                .expectBody().jsonPath("$.disabled").isEqualTo(true);
        login(email, "second chosen passphrase").expectStatus().isUnauthorized();
        // The token issued before is refused too (at once on this instance; within 10 s on others).
        client().get().uri("/api/marketing/offers").header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isUnauthorized();
        client().post().uri("/api/admin/users/{id}/disable", "not-a-uuid").header("Authorization", "Bearer " + admin)
                .exchange().expectStatus().isNotFound();
    }
}
