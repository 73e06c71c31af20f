package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The test configuration allows 3 public writes at once per client, refilled at one every 2
 * seconds, and 5 sign-ins; the limiters' clock only moves when a test moves it.
 */
class RateLimitTest extends GatewayTestBase {

    private WebTestClient.ResponseSpec callback(String client) {
        return raw.post().uri("/api/callbacks").header("X-Forwarded-For", client)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Sam\"}").exchange();
    }

    @Test
    void publicWritesAre429WithRetryAfterAndRecoverAfterTheWindow() {
        String client = "198.51.100.7";
        int before = CALLBACK.receivedPath("/api/callbacks").size();
        double limitedBefore = rateLimited("public_writes");
        for (int i = 0; i < 3; i++) callback(client).expectStatus().isOk();
        AtomicLong retryAfter = new AtomicLong();
        callback(client)
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, v -> retryAfter.set(Long.parseLong(v)))
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        assertThat(retryAfter.get()).isPositive();
        assertThat(CALLBACK.receivedPath("/api/callbacks")).hasSize(before + 3);

        // Another client is not affected, nor are reads by the same client.
        callback("198.51.100.8").expectStatus().isOk();
        raw.get().uri("/api/offers").header("X-Forwarded-For", client).exchange().expectStatus().isOk();

        // Just short of the wait the client was given: still limited.
        NOW_NANOS.addAndGet(retryAfter.get() * 1_000_000_000L - 100_000_000L);
        callback(client).expectStatus().isEqualTo(429);
        NOW_NANOS.addAndGet(100_000_000L);
        callback(client).expectStatus().isOk();
        callback(client).expectStatus().isEqualTo(429);
        // Each 429 is counted under its limit (the dashboard's rate-limit panel).
        assertThat(rateLimited("public_writes") - limitedBefore).isEqualTo(3);
    }

    @Test
    void bookingsAndNewsletterShareTheAllowanceOfPublicWrites() {
        String client = "198.51.100.20";
        raw.post().uri("/api/bookings").header("X-Forwarded-For", client).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isOk();
        raw.post().uri("/api/bookings/BK-1/cancel").header("X-Forwarded-For", client).exchange().expectStatus().isOk();
        raw.post().uri("/api/newsletter/subscriptions").header("X-Forwarded-For", client)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isOk();
        raw.post().uri("/api/newsletter/subscriptions").header("X-Forwarded-For", client)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
    }

    /** The staff desk books for callers all day from one address: /api/staff/** is never a public write. */
    @Test
    void staffDeskWritesAreNotPublicWrites() {
        String client = "198.51.100.44";
        for (int i = 0; i < 6; i++) {
            raw.post().uri("/api/staff/bookings").header("X-Forwarded-For", client)
                    .header("Authorization", "Bearer " + token("STAFF")).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}").exchange().expectStatus().isOk();
            raw.post().uri("/api/staff/bookings/BK-1/reschedule").header("X-Forwarded-For", client)
                    .header("Authorization", "Bearer " + token("STAFF")).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{}").exchange().expectStatus().isOk();
        }
        // ... and they do not use up the client's public allowance either.
        callback(client).expectStatus().isOk();
    }

    @Test
    void signInIsLimitedPerClient() {
        String client = "198.51.100.30";
        double limitedBefore = rateLimited("login");
        for (int i = 0; i < 5; i++) {
            raw.post().uri("/api/auth/login").header("X-Forwarded-For", client).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"username\":\"u" + i + "@x.test\",\"password\":\"p\"}")
                    .exchange().expectStatus().isUnauthorized();
        }
        raw.post().uri("/api/auth/login").header("X-Forwarded-For", client).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"staff@clinic.test\",\"password\":\"" + PASSWORD + "\"}")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
        assertThat(rateLimited("login") - limitedBefore).isEqualTo(1);
    }

    @Test
    void forwardedForIsReadFromTheRightSoClientsCannotPickTheirBucket() {
        String proxySaw = "198.51.100.40";
        for (int i = 0; i < 3; i++) {
            raw.post().uri("/api/callbacks").header("X-Forwarded-For", "1.1.1." + i + ", " + proxySaw)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isOk();
        }
        raw.post().uri("/api/callbacks").header("X-Forwarded-For", "1.1.1.99, " + proxySaw)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectStatus().isEqualTo(429);
    }
}
