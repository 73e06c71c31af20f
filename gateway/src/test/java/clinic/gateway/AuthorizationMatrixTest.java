package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every protected route family of the contract against every kind of caller: no token, an
 * expired one, a forged signature under the issuer's own kid, an unknown kid, HS256 with the
 * secret the services used to share, {@code alg: none}, a valid token with the wrong role (each
 * refused at the gateway, the service never sees them) and the right roles (routed to the
 * right service at the right path).
 */
class AuthorizationMatrixTest extends GatewayTestBase {

    record Family(HttpMethod method, String path, Downstream service, String downstreamPath,
                  List<String> rightRoles, List<String> wrongRoles) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Family> families() {
        return Stream.of(
                new Family(HttpMethod.GET, "/api/staff/bookings", BOOKING, "/api/staff/bookings",
                        List.of("STAFF", "ADMIN"), List.of("MARKETING")),
                new Family(HttpMethod.GET, "/api/staff/callbacks", CALLBACK, "/api/staff/callbacks",
                        List.of("STAFF", "ADMIN"), List.of("MARKETING")),
                new Family(HttpMethod.POST, "/api/staff/callbacks/cb-1/claim", CALLBACK, "/api/staff/callbacks/cb-1/claim",
                        List.of("STAFF", "ADMIN"), List.of("MARKETING")),
                new Family(HttpMethod.POST, "/api/staff/callbacks/cb-1/complete", CALLBACK,
                        "/api/staff/callbacks/cb-1/complete", List.of("STAFF", "ADMIN"), List.of("MARKETING")),
                new Family(HttpMethod.GET, "/api/staff/notifications", NOTIFICATION, "/api/staff/notifications",
                        List.of("STAFF", "ADMIN"), List.of("MARKETING")),
                new Family(HttpMethod.GET, "/api/marketing/offers", OFFER, "/api/marketing/offers",
                        List.of("MARKETING", "ADMIN"), List.of("STAFF")),
                new Family(HttpMethod.POST, "/api/marketing/offers", OFFER, "/api/marketing/offers",
                        List.of("MARKETING", "ADMIN"), List.of("STAFF")),
                new Family(HttpMethod.POST, "/api/marketing/offers/of-1/end", OFFER, "/api/marketing/offers/of-1/end",
                        List.of("MARKETING", "ADMIN"), List.of("STAFF")),
                new Family(HttpMethod.GET, "/api/marketing/offers/of-1/performance", ANALYTICS, "/api/analytics/offers/of-1",
                        List.of("MARKETING", "ADMIN"), List.of("STAFF")),
                new Family(HttpMethod.GET, "/api/analytics/summary", ANALYTICS, "/api/analytics/summary",
                        List.of("MARKETING", "ADMIN"), List.of("STAFF")),
                new Family(HttpMethod.GET, "/api/admin/analytics/rebuild", ANALYTICS, "/api/admin/analytics/rebuild",
                        List.of("ADMIN"), List.of("STAFF", "MARKETING")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void refusedWithoutAValidToken(Family f) {
        int before = f.service().receivedPath(f.downstreamPath()).size();
        List<Function<String[], String>> bad = List.of(
                roles -> null,
                GatewayTestBase::expiredToken,
                GatewayTestBase::forgedToken,
                GatewayTestBase::unknownKidToken,
                GatewayTestBase::oldSecretToken,
                GatewayTestBase::unsignedToken);
        String[] right = f.rightRoles().toArray(String[]::new);
        for (var make : bad) {
            String token = make.apply(right);
            call(f, token).expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }
        for (String role : f.wrongRoles()) {
            call(f, token(role)).expectStatus().isEqualTo(HttpStatus.FORBIDDEN)
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        }
        assertThat(f.service().receivedPath(f.downstreamPath())).hasSize(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void routedWithTheRightRole(Family f) {
        for (String role : f.rightRoles()) {
            String token = token(role);
            int before = f.service().receivedPath(f.downstreamPath()).size();
            call(f, token).expectStatus().isOk()
                    .expectBody().jsonPath("$.service").isEqualTo(f.service().name)
                    .jsonPath("$.path").isEqualTo(f.downstreamPath());
            var got = f.service().receivedPath(f.downstreamPath());
            assertThat(got).hasSize(before + 1);
            // The service checks the token again itself (defence in depth): it must arrive intact.
            assertThat(got.get(got.size() - 1).header("Authorization")).isEqualTo("Bearer " + token);
        }
    }

    @Test
    void internalApisAndServiceActuatorsAreNeverRouted() {
        int before = totalReceived();
        for (String path : List.of("/internal/reservations", "/internal/reservations/x/release")) {
            // The kit's rule holds here too: only a service token for this audience, and the gateway is
            // no service's internal door, so even booking-service's own token for offer-service is 403.
            client().post().uri(path).exchange().expectStatus().isUnauthorized();
            String serviceToken = issuer.service("booking-service", "offer-service").block(Duration.ofSeconds(30));
            client().post().uri(path).header("Authorization", "Bearer " + serviceToken)
                    .exchange().expectStatus().isForbidden()
                    .expectBody().jsonPath("$.code").isEqualTo("forbidden");
            client().post().uri(path).header("Authorization", "Bearer " + token("ADMIN"))
                    .exchange().expectStatus().isForbidden();
        }
        for (String path : List.of("/actuator/env", "/actuator/prometheus", "/api/bookings/actuator/../x",
                "/booking/actuator/health")) {
            client().get().uri(path).header("Authorization", "Bearer " + token("ADMIN"))
                    .exchange().expectStatus().value(s -> assertThat(s).isIn(400, 404));
        }
        assertThat(totalReceived()).isEqualTo(before);
    }

    @Test
    void gatewayHealthIsPublic() {
        client().get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void publicEndpointsNeedNoToken() {
        for (String path : List.of("/api/locations", "/api/treatments", "/api/therapists?locationId=sheffield",
                "/api/availability?locationId=sheffield&treatmentId=t&date=2027-02-10", "/api/offers",
                "/api/offers/quote?code=FEB10", "/api/newsletter/confirm?token=abc")) {
            client().get().uri(path).exchange().expectStatus().isOk();
        }
        // A bad token on a public path is not an error: the caller is simply anonymous.
        client().get().uri("/api/locations").header("Authorization", "Bearer " + forgedToken("STAFF"))
                .exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec call(Family f, String token) {
        var spec = client().method(f.method()).uri(f.path());
        if (token != null) spec = spec.header("Authorization", "Bearer " + token);
        if (f.method() == HttpMethod.POST) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"outcome\":\"BOOKED\"}").exchange();
        }
        return spec.exchange();
    }

    private static int totalReceived() {
        int n = 0;
        for (Downstream d : new ArrayList<>(List.of(BOOKING, OFFER, CALLBACK, NOTIFICATION, ANALYTICS))) {
            n += d.received(r -> true).size();
        }
        return n;
    }
}
