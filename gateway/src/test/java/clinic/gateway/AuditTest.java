package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code GET /api/admin/audit} answered by the gateway: every service's part, asked with the caller's
 * token and query, merged newest first and cut to the limit; a service that is down, slow or
 * answering nonsense is named in {@code X-Audit-Incomplete} and the others' entries still come back.
 */
class AuditTest extends GatewayTestBase {
    private static final String PATH = "/api/admin/audit";
    private static final List<Downstream> ALL = List.of(BOOKING, OFFER, CALLBACK, NOTIFICATION, ANALYTICS);

    @AfterEach
    void resetStandIns() {
        ALL.forEach(Downstream::resetAudit);
    }

    private static String entries(String service, String... atActionTarget) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i + 2 < atActionTarget.length; i += 3) {
            if (json.length() > 1) json.append(',');
            json.append("{\"at\":\"").append(atActionTarget[i]).append("\",\"service\":\"").append(service)
                    .append("\",\"actor\":\"admin@clinic.test\",\"action\":\"").append(atActionTarget[i + 1])
                    .append("\",\"target\":\"").append(atActionTarget[i + 2]).append("\",\"details\":{\"n\":").append(i)
                    .append("}}");
        }
        return json.append(']').toString();
    }

    private static int auditRequests() {
        return ALL.stream().mapToInt(d -> d.receivedPath(PATH).size()).sum();
    }

    @Test
    void everyServicesPartIsMergedNewestFirstAndCutToTheLimit() {
        BOOKING.auditAnswer = entries("booking-service",
                "2027-02-10T10:05:00Z", "therapist.updated", "therapist/amara",
                "2027-02-10T10:01:00Z", "closure.created", "closure/c1");
        OFFER.auditAnswer = entries("offer-service", "2027-02-10T10:04:00Z", "offer.ended", "offer/o1");
        CALLBACK.auditAnswer = entries("callback-service", "2027-02-10T10:03:00.123456Z", "callback.claimed", "callback/x");
        // Analytics' first configured instance is dead: its part must come from the live one.
        ANALYTICS.auditAnswer = entries("analytics-service", "2027-02-10T10:02:00Z", "analytics.rebuilt", "analytics/all");
        String token = token("ADMIN");

        List<Map<String, Object>> got = client().get()
                .uri(b -> b.path(PATH).queryParam("from", "{from}").queryParam("to", "{to}")
                        .queryParam("actor", "{actor}").queryParam("limit", "4")
                        .build(Map.of("from", "2027-02-10T09:00:00+01:00", "to", "2027-02-11", "actor", " admin@clinic.test ")))
                .header("Authorization", "Bearer " + token).header("X-Request-Id", "audit-merge-1")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("X-Audit-Incomplete")
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult().getResponseBody();

        assertThat(got).extracting(e -> e.get("target"))
                .containsExactly("therapist/amara", "offer/o1", "callback/x", "analytics/all");
        assertThat(got.get(0)).containsEntry("at", "2027-02-10T10:05:00Z").containsEntry("service", "booking-service")
                .containsEntry("actor", "admin@clinic.test").containsEntry("action", "therapist.updated")
                .containsEntry("details", Map.of("n", 0));
        assertThat(got.get(2)).containsEntry("at", "2027-02-10T10:03:00.123456Z");

        for (Downstream service : ALL) {
            List<Downstream.Received> asked = service.receivedPath(PATH);
            assertThat(asked).as(service.name).isNotEmpty();
            Downstream.Received last = asked.get(asked.size() - 1);
            // The service checks the caller's token itself and reads the caller's own query.
            assertThat(last.header("Authorization")).as(service.name).isEqualTo("Bearer " + token);
            assertThat(last.header("X-Request-Id")).isEqualTo("audit-merge-1");
            assertThat(last.header("traceparent")).isNotBlank();
            assertThat(URLDecoder.decode(last.query(), StandardCharsets.UTF_8).split("&")).as(service.name)
                    .containsExactlyInAnyOrder("from=2027-02-10T09:00:00+01:00", "to=2027-02-11",
                            "actor=admin@clinic.test", "limit=4");
        }
    }

    @Test
    void equalInstantsKeepEachServicesOwnOrderAndTheDefaultLimitApplies() {
        BOOKING.auditAnswer = entries("booking-service",
                "2027-02-10T10:00:00Z", "second", "thing/2",
                "2027-02-10T10:00:00Z", "first", "thing/1");
        List<Map<String, Object>> got = admin(PATH).expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult().getResponseBody();
        assertThat(got).extracting(e -> e.get("action")).containsExactly("second", "first");
        Downstream.Received last = BOOKING.receivedPath(PATH).get(BOOKING.receivedPath(PATH).size() - 1);
        assertThat(last.query()).isEqualTo("limit=100");
    }

    @Test
    void servicesThatAreDownSlowOrWrongAreNamedAndTheRestStillAnswer() {
        BOOKING.auditAnswer = entries("booking-service", "2027-02-10T10:05:00Z", "treatment.updated", "treatment/t1");
        OFFER.auditStatus = 500;
        CALLBACK.auditDelayMillis = 8000; // the test configuration gives each service 3 s
        ANALYTICS.auditAnswer = "{\"service\":\"analytics\",\"not\":\"a list\"}";
        NOTIFICATION.stop();
        try {
            List<Map<String, Object>> got = admin(PATH).expectStatus().isOk()
                    .expectHeader().valueEquals("X-Audit-Incomplete",
                            "analytics-service, callback-service, notification-service, offer-service")
                    .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult()
                    .getResponseBody();
            assertThat(got).extracting(e -> e.get("target")).containsExactly("treatment/t1");
        } finally {
            NOTIFICATION.restart();
        }

        // Every part missing is still an answer, not a 500: an empty list that says so.
        BOOKING.auditStatus = 503;
        ANALYTICS.auditStatus = 404;
        CALLBACK.auditDelayMillis = 0;
        CALLBACK.auditStatus = 401;
        NOTIFICATION.auditAnswer = "not json";
        admin(PATH).expectStatus().isOk()
                .expectHeader().valueEquals("X-Audit-Incomplete",
                        "analytics-service, booking-service, callback-service, notification-service, offer-service")
                .expectBody().json("[]");
    }

    @Test
    void onlyAdminsAndNoServiceSeesAnyoneElse() {
        int before = auditRequests();
        List<Function<String[], String>> bad = List.of(roles -> null, GatewayTestBase::expiredToken,
                GatewayTestBase::forgedToken, GatewayTestBase::unsignedToken);
        for (var make : bad) {
            String t = make.apply(new String[] {"ADMIN"});
            var spec = client().get().uri(PATH);
            if (t != null) spec = spec.header("Authorization", "Bearer " + t);
            spec.exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
                    .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }
        for (String role : List.of("STAFF", "MARKETING")) {
            client().get().uri(PATH).header("Authorization", "Bearer " + token(role)).exchange()
                    .expectStatus().isEqualTo(HttpStatus.FORBIDDEN)
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        }
        assertThat(auditRequests()).isEqualTo(before);
    }

    @Test
    void aBadQueryIsRefusedHereNamingTheParameter() {
        int before = auditRequests();
        Map<String, String> badQueries = Map.of(
                "?from=yesterday", "from",
                "?to=2027-13-01", "to",
                "?from=2027-02-10&to=2027-02-09", "to",
                "?from=2027-02-10T10:00:00Z&to=2027-02-10T10:00:00Z", "to",
                "?limit=0", "limit",
                "?limit=1001", "limit",
                "?limit=ten", "limit");
        badQueries.forEach((query, field) -> admin(PATH + query)
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo(field));
        assertThat(auditRequests()).isEqualTo(before);
    }

    private WebTestClient.ResponseSpec admin(String uri) {
        return client().get().uri(uri).header("Authorization", "Bearer " + token("ADMIN")).exchange();
    }
}
