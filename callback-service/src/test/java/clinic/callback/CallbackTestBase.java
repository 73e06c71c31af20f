package clinic.callback;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.testsupport.TestTokens;
import clinic.testsupport.TestInfra;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One Spring context for every integration test of the module (same configuration, so the
 * context is cached): a real PostgreSQL database of its own and the JVM's real Kafka broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=")
public abstract class CallbackTestBase {
    protected static final TestTokens TOKENS = new TestTokens(Clock.systemUTC());
    /** The context's database, for assertions in SQL. */
    protected static String database;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        database = TestInfra.register(r, "callback");
        // booking-service's erasure endpoint and the issuer's token endpoint (erasure on request)
        r.add("clinic.privacy.booking-url", clinic.testsupport.FakeErasureOwner::url);
        r.add("clinic.security.token-uri", () -> clinic.testsupport.FakeErasureOwner.url() + "/oauth2/token");
        r.add("clinic.security.client-secret", () -> clinic.testsupport.FakeErasureOwner.CLIENT_SECRET);
    }

    @Autowired protected WebTestClient web;
    @LocalServerPort protected int port;

    protected static String bearer(String username, String... roles) {
        return "Bearer " + TOKENS.issue(username, Set.of(roles), Duration.ofMinutes(30));
    }

    protected static String staff(String username) {
        return bearer(username, "STAFF");
    }

    private static final AtomicInteger PHONES = new AtomicInteger();

    /**
     * A valid UK number (Ofcom's range for drama, Sheffield), different on every call within the
     * JVM's database so tests never meet each other's duplicates.
     */
    protected static String newPhone() {
        return String.format("0114 496 %04d", PHONES.getAndIncrement() % 1000);
    }

    protected static Map<String, Object> validRequest(String phone) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Jo Smith");
        body.put("phone", phone);
        body.put("email", "jo@example.com");
        body.put("locationId", "doncaster");
        body.put("preferredTime", "morning");
        body.put("message", "Knee pain after running, is physio right for me?");
        body.put("consent", Map.of("termsAndPrivacy", true, "policyVersion", "2026-01"));
        return body;
    }

    /** Makes a request on the public endpoint and returns its id. */
    protected UUID requestCallback(String phone) {
        Map<?, ?> res = web.post().uri("/api/callbacks").bodyValue(validRequest(phone)).exchange()
                .expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(res.get("status")).isEqualTo("OPEN");
        return UUID.fromString((String) res.get("id"));
    }

    protected WebTestClient.ResponseSpec staffPost(String who, String path, Object body) {
        var spec = web.post().uri(path).header(HttpHeaders.AUTHORIZATION, staff(who));
        return body == null ? spec.exchange() : spec.bodyValue(body).exchange();
    }

    // ---- SQL ----

    protected static List<Map<String, Object>> sql(String query, Object... args) {
        try (Connection c = TestInfra.postgres().connect(database); var st = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            if (!st.execute()) return List.of(Map.of("updated", st.getUpdateCount()));
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object value = "timestamptz".equals(rs.getMetaData().getColumnTypeName(i))
                                ? rs.getObject(i, java.time.OffsetDateTime.class) : rs.getObject(i);
                        row.put(rs.getMetaData().getColumnLabel(i), value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static long count(String query, Object... args) {
        return ((Number) sql(query, args).get(0).values().iterator().next()).longValue();
    }
}
