package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.gateway.account.Accounts;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The web front's session: cookie attributes, who-am-I, sign-out, idle and absolute expiry (on the
 * sessions' own clock, moved by the test), CSRF on cookie-authenticated writes, API clients'
 * bearer tokens untouched, and a disabled account's session refused at once.
 */
class SessionTest extends GatewayTestBase {
    static final String COOKIE = "CLINIC_SESSION";
    static final String STAFF_READ = "/api/staff/bookings?locationId=sheffield&date=2027-02-10";

    @Autowired
    Accounts accounts;

    @AfterEach
    void realTime() {
        SESSION_SHIFT.set(Duration.ZERO);
    }

    record Signed(String cookie, String csrf, JsonNode body, String setCookie) {}

    Signed signIn(String username) {
        EntityExchangeResult<JsonNode> r = client().post().uri("/api/auth/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", PASSWORD)).exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, cc -> assertThat(cc).contains("no-store"))
                .expectBody(JsonNode.class).returnResult();
        String setCookie = r.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE);
        assertThat(setCookie).startsWith(COOKIE + "=");
        String value = setCookie.substring(COOKIE.length() + 1, setCookie.indexOf(';'));
        return new Signed(value, r.getResponseBody().get("csrfToken").asText(), r.getResponseBody(), setCookie);
    }

    /** A STAFF account with the tests' password ("test-password", bcrypt cost 4). */
    String newStaffAccount(String prefix) {
        String email = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.test";
        accounts.ensure(email, "Session Tester", List.of("STAFF"),
                "$2a$04$.Cw3TTkecLG01k3EJ7kan.nd6JR9vSS8KAoyOOkjeUgs46vB3Egoi").block(Duration.ofSeconds(30));
        return email;
    }

    static Downstream.Received last(List<Downstream.Received> all) {
        return all.get(all.size() - 1);
    }

    WebTestClient.ResponseSpec get(String path, String cookie) {
        return client().get().uri(path).cookie(COOKIE, cookie).exchange();
    }

    WebTestClient.ResponseSpec claim(String cookie, String csrf, String site) {
        var spec = client().post().uri("/api/staff/callbacks/" + UUID.randomUUID() + "/claim").cookie(COOKIE, cookie);
        if (csrf != null) spec = spec.header("X-CSRF-Token", csrf);
        if (site != null) spec = spec.header("Sec-Fetch-Site", site);
        return spec.exchange();
    }

    @Test
    void signInSetsAnHttpOnlyStrictSecureCookieAndNoTokenAndTheSessionSignsInRequests() {
        Signed s = signIn("  Staff@Clinic.TEST ");
        assertThat(s.setCookie()).contains("HttpOnly").contains("SameSite=Strict").contains("Secure").contains("Path=/");
        // 256 random bits, base64url.
        assertThat(s.cookie()).matches("[A-Za-z0-9_-]{43}");
        assertThat(s.body().has("accessToken")).as("no token for scripts").isFalse();
        assertThat(s.body().get("username").asText()).isEqualTo("staff@clinic.test");
        assertThat(s.body().get("roles").toString()).isEqualTo("[\"STAFF\"]");
        assertThat(s.body().get("idleTimeoutSeconds").asLong()).isEqualTo(1800);
        assertThat(s.csrf()).isNotBlank();

        get("/api/auth/session", s.cookie()).expectStatus().isOk()
                .expectBody().jsonPath("$.username").isEqualTo("staff@clinic.test")
                .jsonPath("$.csrfToken").isEqualTo(s.csrf());

        // The cookie stands for a bearer token of our issuer downstream; the service never sees the cookie.
        get(STAFF_READ, s.cookie()).expectStatus().isOk();
        Downstream.Received seen = last(BOOKING.receivedPath("/api/staff/bookings"));
        assertThat(seen.header("Authorization")).startsWith("Bearer ");
        assertThat(seen.header("Cookie")).isNull();
        // Role rules as for any token: STAFF cannot read marketing's offers.
        get("/api/marketing/offers", s.cookie()).expectStatus().isForbidden();

        // No cookie, an unknown one: anonymous (401 on protected paths), and the stale cookie is cleared.
        client().get().uri("/api/auth/session").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        get(STAFF_READ, "not-a-session").expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.SET_COOKIE, c -> assertThat(c).startsWith(COOKIE + "=;").contains("Max-Age=0"));
    }

    @Test
    void wrongPasswordsGiveNoCookieAndTheLoginLockoutAppliesToSessionsToo() {
        // An account of its own: the lockout is per username and LoginTest locks the shared ones.
        String user = newStaffAccount("lock");
        for (int i = 0; i < 10; i++) {
            client().post().uri("/api/auth/session").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("username", user, "password", "wrong-" + i)).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().doesNotExist(HttpHeaders.SET_COOKIE)
                    .expectBody().jsonPath("$.code").isEqualTo("bad_credentials");
        }
        // Locked for the session sign-in and for API login alike (one throttle), right password or not.
        client().post().uri("/api/auth/session").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user, "password", PASSWORD)).exchange()
                .expectStatus().isEqualTo(429).expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", user, "password", PASSWORD)).exchange()
                .expectStatus().isEqualTo(429);
    }

    @Test
    void signOutNeedsTheCsrfTokenThenDeletesTheSessionAndClearsTheCookie() {
        Signed s = signIn("staff@clinic.test");
        client().delete().uri("/api/auth/session").cookie(COOKIE, s.cookie()).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("csrf_token_invalid");
        get("/api/auth/session", s.cookie()).expectStatus().isOk();

        client().delete().uri("/api/auth/session").cookie(COOKIE, s.cookie()).header("X-CSRF-Token", s.csrf()).exchange()
                .expectStatus().isNoContent()
                .expectHeader().value(HttpHeaders.SET_COOKIE, c -> assertThat(c).contains("Max-Age=0").contains("HttpOnly"));
        get("/api/auth/session", s.cookie()).expectStatus().isUnauthorized();
        get(STAFF_READ, s.cookie()).expectStatus().isUnauthorized();
        // Again, or with no session at all: the same success.
        client().delete().uri("/api/auth/session").cookie(COOKIE, s.cookie()).exchange().expectStatus().isNoContent();
    }

    @Test
    void cookieAuthenticatedWritesNeedTheSessionsCsrfTokenAndASameOriginRequest() {
        Signed s = signIn("staff@clinic.test");
        int before = CALLBACK.received(r -> r.path().endsWith("/claim")).size();
        claim(s.cookie(), null, null).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("csrf_token_invalid");
        claim(s.cookie(), "wrong-" + s.csrf(), null).expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("csrf_token_invalid");
        // Another session's token is no good either.
        claim(s.cookie(), signIn("staff@clinic.test").csrf(), null).expectStatus().isForbidden();
        // The right token from another site's page (the browser says so): refused all the same.
        claim(s.cookie(), s.csrf(), "cross-site").expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("csrf_token_invalid");
        assertThat(CALLBACK.received(r -> r.path().endsWith("/claim"))).as("nothing refused reached the service").hasSize(before);

        claim(s.cookie(), s.csrf(), "same-origin").expectStatus().isOk();
        Downstream.Received seen = last(CALLBACK.received(r -> r.path().endsWith("/claim")));
        assertThat(seen.header("Authorization")).startsWith("Bearer ");
        assertThat(CALLBACK.received(r -> r.path().endsWith("/claim"))).hasSize(before + 1);
    }

    @Test
    void bearerClientsAreUnaffectedByCookiesAndCsrf() {
        String token = token("STAFF");
        // No CSRF header, and a session cookie of someone else alongside: the bearer token decides.
        Signed marketing = signIn("marketing@clinic.test");
        client().post().uri("/api/staff/callbacks/" + UUID.randomUUID() + "/claim")
                .header("Authorization", "Bearer " + token).cookie(COOKIE, marketing.cookie())
                .exchange().expectStatus().isOk();
        assertThat(last(CALLBACK.received(r -> r.path().endsWith("/claim"))).header("Authorization"))
                .isEqualTo("Bearer " + token);
        // A bearer client's GET /api/auth/session is not a web session.
        client().get().uri("/api/auth/session").header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
        // A public write with a cookie but no CSRF token goes on as an anonymous one (anyone may make it).
        client().post().uri("/api/callbacks").cookie(COOKIE, marketing.cookie()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x")).exchange().expectStatus().isOk();
        assertThat(last(CALLBACK.receivedPath("/api/callbacks")).header("Authorization")).isNull();
    }

    @Test
    void theIdleTimeoutSlidesWithUseAndTheAbsoluteLifetimeDoesNot() {
        Signed s = signIn("staff@clinic.test");
        // Used every 25 minutes (idle timeout 30): still signed in after 100 minutes.
        for (int i = 1; i <= 4; i++) {
            SESSION_SHIFT.set(Duration.ofMinutes(25L * i));
            get(STAFF_READ, s.cookie()).expectStatus().isOk();
        }
        // ...but never past the absolute lifetime (2 h here), however it is used.
        SESSION_SHIFT.set(Duration.ofMinutes(119));
        get("/api/auth/session", s.cookie()).expectStatus().isOk();
        SESSION_SHIFT.set(Duration.ofMinutes(121));
        get(STAFF_READ, s.cookie()).expectStatus().isUnauthorized();
        get("/api/auth/session", s.cookie()).expectStatus().isUnauthorized();

        // Left alone for 31 minutes: ended.
        SESSION_SHIFT.set(Duration.ZERO);
        Signed idle = signIn("staff@clinic.test");
        get(STAFF_READ, idle.cookie()).expectStatus().isOk();
        SESSION_SHIFT.set(Duration.ofMinutes(31));
        get(STAFF_READ, idle.cookie()).expectStatus().isUnauthorized();
        SESSION_SHIFT.set(Duration.ZERO);
        get("/api/auth/session", idle.cookie()).expectStatus().isUnauthorized(); // ended for good, not revived
    }

    @Test
    void aDisabledAccountsSessionIsRefusedAtOnce() {
        String email = newStaffAccount("disable");
        Signed s = signIn(email);
        get(STAFF_READ, s.cookie()).expectStatus().isOk();
        JsonNode users = client().get().uri("/api/admin/users").header("Authorization", "Bearer " + token("ADMIN"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        String accountId = null;
        for (JsonNode u : users.has("items") ? users.get("items") : users) {
            if (u.get("email").asText().equals(email)) accountId = u.get("id").asText();
        }
        assertThat(accountId).isNotNull();
        client().post().uri("/api/admin/users/" + accountId + "/disable").header("Authorization", "Bearer " + token("ADMIN"))
                .exchange().expectStatus().isOk();
        get(STAFF_READ, s.cookie()).expectStatus().isUnauthorized();
        get("/api/auth/session", s.cookie()).expectStatus().isUnauthorized();
    }
}
