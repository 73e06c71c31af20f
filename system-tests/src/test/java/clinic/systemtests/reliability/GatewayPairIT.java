package clinic.systemtests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.systemtests.Platform;
import clinic.systemtests.contract.ApiContract;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, two gateway instances: gateway-2 and gateway-3 beside the platform's own gateway, on the
 * same gateway database, with a low public-write limit of their own (the platform's gateway has it
 * lifted for the drills). Requests alternate between them: the public write limit and the sign-in
 * lockout hold for the pair, not for each; a user disabled through one gateway is refused by the
 * others within the contract's 60 s.
 */
class GatewayPairIT {
    private static final List<String> PAIR = List.of("gateway-2", "gateway-3");
    /** Four public writes per client at once, then one per 100 s: the test never sees a refill. */
    private static final int BURST = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LINK = Pattern.compile("/set-password\\.html\\?token=([A-Za-z0-9_%-]+)");

    static Platform p;
    static String[] pair;

    @BeforeAll
    static void secondAndThirdGateway() throws Exception {
        p = Platform.get();
        Support.awaitHealthy(p, Duration.ofMinutes(3));
        Map<String, String> limits = Map.of(
                "CLINIC_RATE_LIMIT_PUBLIC_WRITES_PER_SECOND", "0.01",
                "CLINIC_RATE_LIMIT_PUBLIC_WRITES_BURST", String.valueOf(BURST),
                // Each test is a client of its own (an address it picks), as behind the production ingress.
                "CLINIC_TRUST_FORWARDED_FOR", "true");
        for (String id : PAIR) {
            int rc = p.clinic(limits, "start", id);
            assertThat(rc).as("./clinic start " + id + ":\n" + Support.tail(p, id, 30)).isZero();
        }
        pair = new String[] {Support.port(p, 8180), Support.port(p, 8280)};
        for (String base : pair) {
            assertThat(Support.get(base + "/actuator/health/readiness", Duration.ofSeconds(5)).status())
                    .as(base).isEqualTo(200);
        }
    }

    @AfterAll
    static void stopThem() throws Exception {
        for (String id : PAIR) p.clinic("stop", id);
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** A request to any gateway; its answer is held to docs/api/openapi.yaml like every other. */
    static Answer send(String base, String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        if (json != null) b.header("Content-Type", "application/json");
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpRequest request = b.build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        ApiContract.get().assertConforms(new ApiContract.Exchange(method, request.uri(), request.headers().map(),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), r.statusCode(), r.headers().map(), r.body()),
                ApiContract.Mode.RESPONSES_ONLY);
        return new Answer(r.statusCode(), Support.parse(r.body()), r);
    }

    static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "203.0." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    static Answer login(String base, String user, String password) throws Exception {
        return send(base, "POST", "/api/auth/login", Platform.JSON.writeValueAsString(
                Map.of("username", user, "password", password)), "X-Forwarded-For", address());
    }

    @Test
    void thePublicWriteLimitHoldsForThePair() throws Exception {
        String client = address();
        // Invalid callbacks on purpose: the limit counts before the body is read, and nothing is stored.
        for (int i = 0; i < BURST; i++) {
            Answer a = send(pair[i % 2], "POST", "/api/callbacks", "{}", "X-Forwarded-For", client);
            assertThat(a.status()).as("write " + (i + 1) + " of " + BURST + " via " + pair[i % 2]).isEqualTo(400);
        }
        // Each gateway has let only half the budget through: alone, either would still admit the client.
        for (String base : pair) {
            Answer a = send(base, "POST", "/api/callbacks", "{}", "X-Forwarded-For", client);
            assertThat(a.status()).as("after the pair's budget, via " + base).isEqualTo(429);
            assertThat(a.body().get("code").asText()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(a.header("Retry-After"))).isPositive();
        }
        // Another client is unaffected.
        assertThat(send(pair[1], "POST", "/api/callbacks", "{}", "X-Forwarded-For", address()).status()).isEqualTo(400);
    }

    @Test
    void theSignInLockoutHoldsForAllThreeGateways() throws Exception {
        String user = "pair-" + UUID.randomUUID() + "@clinic.test";
        String[] all = {p.gateway, pair[0], pair[1]};
        // Ten failures (the lockout's allowance) spread over three instances: at most four on any one.
        for (int i = 0; i < 10; i++) {
            assertThat(login(all[i % 3], user, "guess-" + i).status()).as("guess " + (i + 1)).isEqualTo(401);
        }
        for (String base : all) {
            Answer a = login(base, user, "guess-again");
            assertThat(a.status()).as("after ten failures, via " + base).isEqualTo(429);
            assertThat(a.body().get("code").asText()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(a.header("Retry-After"))).isBetween(1L, 300L);
        }
    }

    @Test
    void aUserDisabledThroughOneGatewayIsRefusedByTheOthersWithin60Seconds() throws Exception {
        String admin = p.token("admin@clinic.test");
        String email = "disable-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.test";
        var invited = p.post("/api/admin/users", Map.of("email", email, "name", "Dee Sabled", "roles", List.of("STAFF")),
                "Authorization", admin);
        assertThat(invited.status()).isEqualTo(201);
        String id = invited.body().get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> p.mail(email).size() >= 1);
        Matcher m = LINK.matcher(p.mail(email).get(0).toString());
        assertThat(m.find()).isTrue();
        String password = "correct horse battery " + UUID.randomUUID();
        assertThat(p.post("/api/auth/password", Map.of("token", URLDecoder.decode(m.group(1), StandardCharsets.UTF_8),
                "password", password)).status()).isEqualTo(204);

        // Signed in on gateway-2; the token works on every gateway.
        Answer signedIn = login(pair[0], email, password);
        assertThat(signedIn.status()).isEqualTo(200);
        String token = "Bearer " + signedIn.body().get("accessToken").asText();
        String[] all = {p.gateway, pair[0], pair[1]};
        for (String base : all) {
            assertThat(send(base, "GET", "/api/staff/callbacks?limit=1", null, "Authorization", token).status())
                    .as(base).isEqualTo(200);
        }

        assertThat(send(p.gateway, "POST", "/api/admin/users/" + id + "/disable", "{}", "Authorization", admin).status())
                .isEqualTo(200);
        // The gateway that disabled refuses at once; sign-in is refused at once everywhere (one database).
        assertThat(send(p.gateway, "GET", "/api/staff/callbacks?limit=1", null, "Authorization", token).status())
                .isEqualTo(401);
        assertThat(login(pair[1], email, password).status()).isEqualTo(401);
        // The others within the contract's 60 s (they re-read the disabled list every 10 s).
        for (String base : pair) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(send(base, "GET", "/api/staff/callbacks?limit=1", null, "Authorization", token).status())
                            .as(base).isEqualTo(401));
        }
    }
}
