package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;

/**
 * One issuer on the running platform: the gateway publishes its public keys, its tokens are ES256
 * with a kid, a token signed with the secret the services used to share is refused, and
 * offer-service's internal reservation endpoint, called directly, wants a service token: none is
 * 401, an ADMIN's is 403. Issue 19's remaining cases, at the gateway and at services called directly
 * (past the gateway): HS256 and an unknown kid are 401; a withdrawn key's tokens are refused at once by
 * the gateway and within the services' JWKS cache time (30 s) by each service. A disabled user's
 * token: GatewayPairIT (services are reachable only through the gateway, docs/operations.md).
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

    private static int directGet(int basePort, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (basePort + p.offset) + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) b.header("Authorization", token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String kid(String bearer) throws Exception {
        return SignedJWT.parse(bearer.substring("Bearer ".length())).getHeader().getKeyID();
    }

    /** A staff token of the right shape from a key the issuer never had (ES256, a kid nobody publishes). */
    private static String unknownKidToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k-unknown-" + UUID.randomUUID()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("staff@clinic.test").issuer("clinic-gateway")
                        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .claim("roles", List.of("STAFF")).build());
        jwt.sign(new ECDSASigner(key));
        return "Bearer " + jwt.serialize();
    }

    private static String hs256Token() throws Exception {
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("staff@clinic.test").issuer("clinic-gateway")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("roles", List.of("STAFF")).build());
        forged.sign(new MACSigner("local-development-signing-key-do-not-use-in-production".getBytes(StandardCharsets.UTF_8)));
        return "Bearer " + forged.serialize();
    }

    @Test
    void hs256AndAnUnknownKidAre401AtTheGatewayAndAtEachServiceCalledDirectly() throws Exception {
        String staff = p.token("staff@clinic.test");
        String day = java.time.LocalDate.now().plusDays(7).toString();
        // The same calls with a real token pass, so a 401 below is the token's doing.
        assertThat(p.get("/api/staff/callbacks?limit=1", "Authorization", staff).status()).isEqualTo(200);
        assertThat(directGet(8083, "/api/staff/callbacks?limit=1", staff)).isEqualTo(200);
        assertThat(directGet(8081, "/api/staff/bookings?locationId=sheffield&date=" + day, staff)).isEqualTo(200);
        for (String bad : List.of(hs256Token(), unknownKidToken())) {
            assertThat(p.get("/api/staff/callbacks?limit=1", "Authorization", bad).status()).isEqualTo(401);
            assertThat(directGet(8083, "/api/staff/callbacks?limit=1", bad)).as("callback-service").isEqualTo(401);
            assertThat(directGet(8081, "/api/staff/bookings?locationId=sheffield&date=" + day, bad))
                    .as("booking-service").isEqualTo(401);
        }
    }

    /** A live offer (sports massage, 15 % off) for the promo bookings below; its code. */
    private static String liveOffer() {
        String marketing = p.token("marketing@clinic.test");
        String code = "KEY" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        Map<String, Object> offer = Journeys.sportsMassageOffer(code, "Key rotation test", "Launched by IdentityIT", 15);
        var created = p.post("/api/marketing/offers", offer, "Authorization", marketing);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String id = created.body().get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode o : p.get("/api/marketing/offers", "Authorization", marketing).body()) {
                if (id.equals(o.get("id").asText())) return "LIVE".equals(o.get("status").asText());
            }
            return false;
        });
        return code;
    }

    /** A booking with the code: booking-service reserves it at offer-service with its own service token. */
    private static Platform.Response promoBooking(String code) {
        JsonNode slot = Journeys.slots(p, "rotherham", "sports-massage-45", Journeys.weekdayAhead(24)).get(0);
        return p.post("/api/bookings", Journeys.booking("rotherham", "sports-massage-45", slot,
                Journeys.uniqueEmail("key-rotation"), code.toLowerCase()));
    }

    /**
     * Rotation as an operator does it (docs/operations.md, "Signing keys"): introduce a key, wait until it
     * signs, withdraw the old one. Runs on the shared platform: every later sign-in gets the new key, and
     * services' own tokens (signed by the old key too) are replaced when refused.
     */
    @Test
    void aWithdrawnKeysTokensAreRefusedByTheGatewayAndByServicesCalledDirectly() throws Exception {
        // booking-service now holds a service token for offer-service signed by the key about to go.
        String code = liveOffer();
        var first = promoBooking(code);
        assertThat(first.status()).as(String.valueOf(first.body())).isEqualTo(201);

        String staffBefore = p.token("staff@clinic.test");
        String oldKid = kid(staffBefore);
        String diary = "/api/staff/bookings?locationId=sheffield&date=" + java.time.LocalDate.now().plusDays(7);
        assertThat(directGet(8083, "/api/staff/callbacks?limit=1", staffBefore)).isEqualTo(200);
        assertThat(directGet(8081, diary, staffBefore)).isEqualTo(200);
        assertThat(direct(8082 + p.offset, "/internal/reservations", staffBefore)).isEqualTo(403);

        String admin = p.token("admin@clinic.test");
        var introduced = p.post("/api/admin/keys", "", "Authorization", admin);
        assertThat(introduced.status()).isEqualTo(201);
        String newKid = introduced.body().get("kid").asText();
        // It signs after CLINIC_KEY_PUBLISH_AHEAD (45 s), once every service can have fetched it.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            JsonNode keys = p.get("/api/admin/keys", "Authorization", admin).body();
            for (JsonNode k : keys) if (k.get("kid").asText().equals(newKid)) return "SIGNING".equals(k.get("status").asText());
            return false;
        });
        String staffAfter = p.token("staff@clinic.test");
        assertThat(kid(staffAfter)).isEqualTo(newKid);

        String newAdmin = p.token("admin@clinic.test");
        assertThat(p.post("/api/admin/keys/" + oldKid + "/withdraw", "", "Authorization", newAdmin).status()).isEqualTo(200);
        assertThat(p.get("/.well-known/jwks.json").body().get("keys").findValuesAsText("kid")).doesNotContain(oldKid);
        // The gateway at once; each service within its JWKS cache time (30 s), without a restart.
        assertThat(p.get("/api/staff/callbacks?limit=1", "Authorization", staffBefore).status()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(directGet(8083, "/api/staff/callbacks?limit=1", staffBefore)).as("callback-service").isEqualTo(401);
            assertThat(directGet(8081, diary, staffBefore)).as("booking-service").isEqualTo(401);
            // offer-service too (a user's token is 403 on /internal while its key is trusted, 401 after).
            assertThat(direct(8082 + p.offset, "/internal/reservations", staffBefore)).as("offer-service").isEqualTo(401);
        });
        // booking-service's service token, signed by the withdrawn key, is refused by offer-service now:
        // booking-service drops it and its retry carries a new one, so promo bookings go on.
        var second = promoBooking(code);
        assertThat(second.status()).as(String.valueOf(second.body())).isEqualTo(201);
        assertThat(second.body().get("promoCode").asText()).isEqualToIgnoringCase(code);
        // The new key's tokens work everywhere, directly too.
        assertThat(directGet(8083, "/api/staff/callbacks?limit=1", staffAfter)).isEqualTo(200);
        assertThat(p.get("/api/staff/callbacks?limit=1", "Authorization", staffAfter).status()).isEqualTo(200);
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
