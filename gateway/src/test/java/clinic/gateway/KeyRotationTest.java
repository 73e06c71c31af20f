package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rotation without a restart: a new key signs new tokens, tokens signed before keep working while
 * the old key is published, and once it is withdrawn they are refused (and it leaves the JWKS).
 */
class KeyRotationTest extends GatewayTestBase {

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private List<String> publishedKids() {
        JsonNode jwks = client().get().uri("/.well-known/jwks.json").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> kids = new ArrayList<>();
        jwks.get("keys").forEach(k -> {
            assertThat(k.has("d")).as("no private part is ever published").isFalse();
            kids.add(k.get("kid").asText());
        });
        return kids;
    }

    @Test
    void aNewKeySignsOldTokensWorkUntilTheirKeyIsWithdrawn() throws Exception {
        String before = token("ADMIN");
        String oldKid = kid(before);
        assertThat(publishedKids()).contains(oldKid);

        // Only ADMIN may introduce a key.
        client().post().uri("/api/admin/keys").header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isForbidden();
        JsonNode created = client().post().uri("/api/admin/keys").header("Authorization", "Bearer " + before)
                .exchange().expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        String newKid = created.get("kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);

        String after = token("ADMIN");
        assertThat(kid(after)).isEqualTo(newKid);
        assertThat(publishedKids()).contains(oldKid, newKid);
        // A token signed before the rotation still works.
        client().get().uri("/api/admin/keys").header("Authorization", "Bearer " + before)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].kid").isEqualTo(newKid).jsonPath("$[0].status").isEqualTo("SIGNING");

        // The key that signs cannot be withdrawn.
        client().post().uri("/api/admin/keys/{kid}/withdraw", newKid).header("Authorization", "Bearer " + after)
                .exchange().expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("key_in_use");
        client().post().uri("/api/admin/keys/{kid}/withdraw", "k-no-such-key").header("Authorization", "Bearer " + after)
                .exchange().expectStatus().isNotFound();

        client().post().uri("/api/admin/keys/{kid}/withdraw", oldKid).header("Authorization", "Bearer " + after)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("WITHDRAWN");
        assertThat(publishedKids()).contains(newKid).doesNotContain(oldKid);

        // Refused now, on every protected path, and the service never sees the request.
        int seen = BOOKING.receivedPath("/api/staff/bookings").size();
        client().get().uri("/api/staff/bookings").header("Authorization", "Bearer " + before)
                .exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        assertThat(BOOKING.receivedPath("/api/staff/bookings")).hasSize(seen);
        client().get().uri("/api/admin/keys").header("Authorization", "Bearer " + after)
                .exchange().expectStatus().isOk();
    }
}
