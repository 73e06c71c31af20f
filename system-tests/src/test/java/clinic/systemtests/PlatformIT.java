package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The foundation: the platform comes up as a user starts it, and the gateway is its door. */
class PlatformIT {
    static Platform platform;

    @BeforeAll
    static void start() {
        platform = Platform.get();
        System.out.println("platform started in " + platform.startSeconds + " s");
    }

    @Test
    void gatewayHealthIsUp() {
        var r = platform.get("/actuator/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void everyPartReportsHealthy() throws Exception {
        assertThat(platform.clinic("status")).isZero();
        String status = Files.readString(platform.dataDir.resolve("clinic-status.log"));
        for (String part : new String[] {"postgres", "kafka", "smtp", "gateway", "booking-service", "offer-service",
                "callback-service", "notification-service", "analytics-service"}) {
            assertThat(status).containsPattern("(?m)^" + part + "\\s+\\d+\\s+healthy");
        }
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        var echoed = platform.get("/api/locations", "X-Request-Id", "sys-test-123");
        assertThat(echoed.header("X-Request-Id")).isEqualTo("sys-test-123");
        var generated = platform.get("/api/locations");
        assertThat(generated.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void unknownPathIsAProblemNotAStackTrace() {
        var r = platform.get("/api/no-such-thing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).contains("application/problem+json");
        assertThat(r.body().get("code").asText()).isEqualTo("not_found");
    }
}
