package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 through the gateway: a public callback request appears on a signed-in staff member's
 * live stream; staff claim, log an attempt and complete it; the customer and the location's staff
 * inbox get their mails (callback-service → Kafka → notification-service → SMTP).
 */
class CallbackJourneyIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void requestAppearsLiveAndIsWorkedToCompletion() {
        String staff = p.token("staff@clinic.test");
        String email = Journeys.uniqueEmail("caller");
        String name = "Jo " + System.nanoTime();
        try (SseClient sse = new SseClient(p.gateway + "/api/staff/callbacks/stream", staff)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.status == 200);
            long sent = System.nanoTime();
            var created = p.post("/api/callbacks", Journeys.callback(name, email, "doncaster"));
            assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(202);
            String id = created.body().get("id").asText();
            assertThat(created.body().get("status").asText()).isEqualTo("OPEN");

            await().atMost(Duration.ofSeconds(10)).until(() -> sse.sawEventContaining("callback.requested", id));
            Measurements.record("callback request → staff SSE event (ms)",
                    (sse.receivedAt("callback.requested", id) - sent) / 1_000_000);

            var claim = p.post("/api/staff/callbacks/" + id + "/claim", Map.of(), "Authorization", staff);
            assertThat(claim.status()).isEqualTo(200);
            var otherClaim = p.post("/api/staff/callbacks/" + id + "/claim", Map.of(),
                    "Authorization", p.token("admin@clinic.test"));
            assertThat(otherClaim.status()).isEqualTo(409);
            assertThat(otherClaim.body().get("code").asText()).isEqualTo("already_claimed");

            var attempt = p.post("/api/staff/callbacks/" + id + "/attempts", Map.of("outcome", "NO_ANSWER"),
                    "Authorization", staff);
            assertThat(attempt.status()).isEqualTo(200);
            var done = p.post("/api/staff/callbacks/" + id + "/complete", Map.of("outcome", "BOOKED"),
                    "Authorization", staff);
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.body().get("status").asText()).isEqualTo("COMPLETED");
            await().atMost(Duration.ofSeconds(10)).until(() -> sse.sawEventContaining("callback.completed", id));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> p.mail(email).size() >= 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> p.mail(null).toString().contains(name));
    }

    @Test
    void consentIsRequiredAndNamed() {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Journeys.callback("Al Smith", null, "sheffield"));
        body.put("consent", Map.of("termsAndPrivacy", false, "policyVersion", "2026-01"));
        var r = p.post("/api/callbacks", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.body().get("violations").toString()).contains("consent.termsAndPrivacy");
    }

    @Test
    void staffEndpointsNeedStaff() {
        assertThat(p.get("/api/staff/callbacks").status()).isEqualTo(401);
        assertThat(p.get("/api/staff/callbacks", "Authorization", p.token("marketing@clinic.test")).status())
                .isEqualTo(403);
        assertThat(p.get("/api/staff/callbacks", "Authorization", p.token("staff@clinic.test")).status())
                .isEqualTo(200);
    }
}
