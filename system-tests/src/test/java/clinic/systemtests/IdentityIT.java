package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One issuer on the running platform: the gateway publishes its public keys, its tokens are ES256
 * with a kid, a token signed with the secret the services used to share is refused, and
 * offer-service's internal reservation endpoint, called directly, wants a service token: none is
 * 401, an ADMIN's is 403.
 */
class IdentityIT {
    static Platform p;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    private static int direct(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) b.header("Authorization", token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void oneIssuerPublicKeysAndNoSharedSecret() throws Exception {
        var jwks = p.get("/.well-known/jwks.json");
        assertThat(jwks.status()).isEqualTo(200);
        JsonNode keys = jwks.body().get("keys");
        assertThat(keys.size()).isGreaterThanOrEqualTo(1);
        assertThat(keys.get(0).get("kty").asText()).isEqualTo("EC");
        assertThat(keys.get(0).has("d")).isFalse();

        String admin = p.token("admin@clinic.test");
        SignedJWT jwt = SignedJWT.parse(admin.substring("Bearer ".length()));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        List<String> kids = keys.findValuesAsText("kid");
        assertThat(kids).contains(jwt.getHeader().getKeyID());

        // The development secret every service once held no longer mints anything.
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("admin@clinic.test").issuer("clinic-gateway")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("roles", List.of("ADMIN")).build());
        forged.sign(new MACSigner("local-development-signing-key-do-not-use-in-production".getBytes(StandardCharsets.UTF_8)));
        assertThat(p.get("/api/admin/users", "Authorization", "Bearer " + forged.serialize()).status()).isEqualTo(401);
        assertThat(p.get("/api/admin/users", "Authorization", admin).status()).isEqualTo(200);

        // Straight to offer-service, past the gateway: only a service token for offer-service opens /internal.
        int offer = 8082 + p.offset;
        assertThat(direct(offer, "/internal/reservations", null)).isEqualTo(401);
        assertThat(direct(offer, "/internal/reservations", admin)).isEqualTo(403);
        assertThat(direct(offer, "/internal/reservations", "Bearer " + forged.serialize())).isEqualTo(401);
    }
}
