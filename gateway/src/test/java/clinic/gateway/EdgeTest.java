package clinic.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/** What every request meets: headers, request ids, trace context, body limits, CORS, paths, the web front. */
class EdgeTest extends GatewayTestBase {
    private static final int LIMIT = 64 * 1024;

    @Test
    void securityHeadersOnEveryKindOfResponse() {
        assertSecurityHeaders(client().get().uri("/").exchange().expectStatus().isOk());
        assertSecurityHeaders(client().get().uri("/api/locations").exchange().expectStatus().isOk());
        assertSecurityHeaders(client().get().uri("/api/staff/bookings").exchange().expectStatus().isUnauthorized());
        assertSecurityHeaders(client().get().uri("/no/such/page").exchange().expectStatus().isNotFound());
        assertSecurityHeaders(client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{").exchange().expectStatus().isBadRequest());
    }

    private static void assertSecurityHeaders(WebTestClient.ResponseSpec spec) {
        spec.expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"))
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                // The stand-in says SAMEORIGIN: the gateway's DENY replaces it, not joins it.
                .expectHeader().values("X-Frame-Options", v -> assertThat(v).containsExactly("DENY"))
                .expectHeader().doesNotExist("Access-Control-Allow-Origin");
    }

    @Test
    void requestIdIsEchoedAndPassedOn() {
        client().get().uri("/api/treatments").header("X-Request-Id", "test-req-42")
                .exchange().expectStatus().isOk()
                .expectHeader().values("X-Request-Id", v -> assertThat(v).containsExactly("test-req-42"));
        var got = BOOKING.received(r -> "test-req-42".equals(r.header("X-Request-Id")));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).path()).isEqualTo("/api/treatments");
    }

    @Test
    void requestIdIsGeneratedWhenMissingOrUnsafeAndPassedOn() {
        var result = client().get().uri("/api/therapists").header("X-Request-Id", "bad id\twith spaces")
                .exchange().expectStatus().isOk().expectBody().returnResult();
        List<String> ids = result.getResponseHeaders().get("X-Request-Id");
        assertThat(ids).hasSize(1);
        assertThat(ids.get(0)).matches("[0-9a-f-]{36}");
        assertThat(BOOKING.received(r -> ids.get(0).equals(r.header("X-Request-Id")))).hasSize(1);
        // Also on answers the gateway gives itself.
        client().get().uri("/api/staff/bookings").exchange().expectStatus().isUnauthorized()
                .expectHeader().exists("X-Request-Id");
    }

    @Test
    void traceContextIsContinuedDownstream() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client().get().uri("/api/locations?marker=trace")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .exchange().expectStatus().isOk();
        var got = BOOKING.received(r -> "marker=trace".equals(r.query()));
        assertThat(got).hasSize(1);
        String forwarded = got.get(0).header("traceparent");
        assertThat(forwarded).matches("00-" + traceId + "-[0-9a-f]{16}-01")
                .isNotEqualTo("00-" + traceId + "-00f067aa0ba902b7-01");
        // The gateway's SERVER span, exported over OTLP: the caller's span is its parent and the
        // service is told this span's id, so the service's spans hang under the gateway's.
        var span = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> TRACES.spans().stream().filter(s -> s.traceId().equals(traceId)).findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(span.service()).isEqualTo("gateway");
        assertThat(span.kind()).isEqualTo("SERVER");
        assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(forwarded).isEqualTo("00-" + traceId + "-" + span.spanId() + "-01");
        assertThat(span.attr("url.path")).isEqualTo("/api/locations");
        assertThat(span.name()).isEqualTo("GET booking"); // the route, not the path
        assertThat(span.attr("http.response.status_code")).isEqualTo("200");
        client().get().uri("/api/locations?marker=no-trace").exchange().expectStatus().isOk();
        assertThat(BOOKING.received(r -> "marker=no-trace".equals(r.query())).get(0).header("traceparent"))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void oversizedBodiesAreRefusedBeforeAnyServiceSeesThem() {
        int before = CALLBACK.receivedPath("/api/callbacks").size();
        String big = "{\"message\":\"" + "x".repeat(LIMIT) + "\"}";
        client().post().uri("/api/callbacks").contentType(MediaType.APPLICATION_JSON).bodyValue(big)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
        // Chunked, without a Content-Length: counted as it arrives.
        client().post().uri("/api/callbacks").contentType(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromDataBuffers(chunks(big, 8192)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
        // Staff endpoints too, and the sign-in the gateway answers itself.
        client().post().uri("/api/staff/callbacks/x/attempts").header("Authorization", "Bearer " + token("STAFF"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(big)
                .exchange().expectStatus().isEqualTo(413);
        client().post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromDataBuffers(chunks(big, 4096)))
                .exchange().expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("payload_too_large");
        assertThat(CALLBACK.receivedPath("/api/callbacks")).hasSize(before);
    }

    @Test
    void aChunkedBodyWithinTheLimitArrivesWhole() {
        String body = "{\"name\":\"chunked\",\"message\":\"" + "y".repeat(LIMIT - 100) + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(LIMIT);
        client().post().uri("/api/bookings").contentType(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromDataBuffers(chunks(body, 1000)))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.bodyBytes").isEqualTo(bytes.length);
        var got = BOOKING.received(r -> r.path().equals("/api/bookings") && r.body().length == bytes.length);
        assertThat(got).hasSize(1);
        assertThat(new String(got.get(0).body(), StandardCharsets.UTF_8)).isEqualTo(body);
        // Exactly at the limit is still fine.
        String exact = "z".repeat(LIMIT);
        client().post().uri("/api/bookings/BK-1/reschedule").contentType(MediaType.APPLICATION_JSON).bodyValue(exact)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.bodyBytes").isEqualTo(LIMIT);
    }

    private static Flux<DataBuffer> chunks(String s, int size) {
        byte[] all = s.getBytes(StandardCharsets.UTF_8);
        return Flux.range(0, (all.length + size - 1) / size).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap(java.util.Arrays.copyOfRange(all, i * size, Math.min(all.length, (i + 1) * size))));
    }

    @Test
    void corsOnlyForConfiguredOrigins() {
        client().get().uri("/api/offers").header("Origin", "https://app.example")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://app.example");
        client().options().uri("/api/bookings")
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,idempotency-key")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://app.example")
                .expectHeader().value("Access-Control-Allow-Methods", m -> assertThat(m).contains("POST"));
        int before = BOOKING.received(r -> true).size();
        client().options().uri("/api/bookings")
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .exchange().expectStatus().isForbidden()
                .expectHeader().doesNotExist("Access-Control-Allow-Origin")
                .expectBody().jsonPath("$.code").isEqualTo("cors_rejected");
        client().post().uri("/api/bookings").header("Origin", "https://evil.example")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isForbidden();
        assertThat(BOOKING.received(r -> true)).hasSize(before);
        // Same origin (the web front served from here) needs no CORS at all.
        client().post().uri("/api/bookings").header("Origin", "http://localhost:" + port)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isOk();
    }

    @Test
    void ambiguousPathsAndTheInternalFallbackAreRefused() {
        for (String path : List.of("/api/bookings/..%2Fstaff%2Fbookings", "/api/bookings/%2e%2e/staff/bookings",
                "/api/bookings;x=1/BK-1", "/api//staff/bookings", "/api/bookings/BK-1%5c..")) {
            client().get().uri(java.net.URI.create("http://localhost:" + port + path))
                    .exchange().expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        }
        client().get().uri("/fallback/bookings").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
    }

    @Test
    void theWebFrontIsServedFreshAndWholeNeverAs304() {
        var result = client().get().uri("/").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, cc -> assertThat(cc).contains("no-cache"))
                .expectBody(String.class).returnResult();
        assertThat(result.getResponseBody()).containsIgnoringCase("<html");
        var file = client().get().uri("/index.html").exchange().expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CACHE_CONTROL, cc -> assertThat(cc).contains("no-cache"))
                .expectBody(String.class).returnResult();
        assertThat(file.getResponseBody()).isEqualTo(result.getResponseBody());
        // A browser revalidating gets the file itself: a bodiless 304 is what left the next
        // keep-alive request unanswered (docs/reliability.md), so none is ever sent.
        client().get().uri("/index.html").header(HttpHeaders.IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT")
                .exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo(result.getResponseBody());
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void oneAccessLogLinePerRequestWithoutQueryTokensOrPasswords(CapturedOutput output) {
        String token = token("STAFF");
        client().get().uri("/api/staff/bookings?locationId=sheffield&email=sam@example.com")
                .header("Authorization", "Bearer " + token).header("X-Request-Id", "log-check-1")
                .exchange().expectStatus().isOk();
        client().post().uri("/api/auth/login").header("X-Request-Id", "log-check-2")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"username\":\"staff@clinic.test\",\"password\":\"" + PASSWORD + "\"}")
                .exchange().expectStatus().isOk();
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().contains("log-check-2") && output.getOut().contains("log-check-1"));
        List<String> lines = output.getOut().lines().filter(l -> l.contains("clinic.gateway.access")).toList();
        assertThat(lines.stream().filter(l -> l.contains("requestId=log-check-1")))
                .singleElement().satisfies(l -> assertThat(l).containsPattern("GET /api/staff/bookings 200 \\d+ms")
                        .contains("\"url\":{\"path\":\"/api/staff/bookings\"}").contains("\"id\":\"log-check-1\""));
        assertThat(lines.stream().filter(l -> l.contains("requestId=log-check-2")))
                .singleElement().satisfies(l -> assertThat(l).containsPattern("POST /api/auth/login 200 \\d+ms"));
        assertThat(output.getOut() + output.getErr())
                .doesNotContain("Duplicate nested pairs").doesNotContain("failed to append")
                .doesNotContain("sheffield").doesNotContain("sam@example.com")
                .doesNotContain(token).doesNotContain(PASSWORD);
    }

    @Test
    void aRefusedRequestWithABodyClosesItsConnectionAndAnAcceptedOneKeepsIt() {
        // Refused before its body is read: the connection is closed rather than left to Reactor
        // Netty's keep-alive bookkeeping, which could stop reading it (docs/reliability.md).
        client().put().uri("/api/admin/treatments/x").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":1}")
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.CONNECTION, "close");
        client().get().uri("/api/staff/bookings").exchange().expectStatus().isUnauthorized()
                .expectHeader().doesNotExist(HttpHeaders.CONNECTION);
        client().post().uri("/api/bookings").header("X-Forwarded-For", "198.51.100.61")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isOk()
                .expectHeader().doesNotExist(HttpHeaders.CONNECTION);
    }

    /**
     * The API fuzz's third stall (docs/reliability.md): a keep-alive request that Reactor Netty had
     * to buffer (it arrived before the previous answer was finished) and that was then refused at
     * once (401 by the token check) left its connection unread, so the next request on it was never
     * answered. Two requests in one write make the buffering certain rather than a race: the first
     * goes to a service, so its answer ends later; the second is refused as soon as it is handed over.
     */
    @Test
    void aQueuedRequestRefusedAtOnceLeavesItsConnectionReadable() throws Exception {
        String from = randomAddress();
        String get = "GET %s HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + from + "\r\n\r\n";
        for (String refused : List.of("/api/staff/bookings", "/api/admin/treatments")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                var out = socket.getOutputStream();
                var in = new java.io.BufferedInputStream(socket.getInputStream());
                out.write((get.formatted("/api/treatments") + get.formatted(refused)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(statusOf(in)).as("the first, answered by a service").isEqualTo(200);
                assertThat(statusOf(in)).as("the queued one, refused by the token check").isEqualTo(401);
                out.write(get.formatted("/api/locations").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(statusOf(in)).as("the next request on the same connection is still read and answered")
                        .isEqualTo(200);
            }
        }
    }

    /** Reads one HTTP/1.1 response (Content-Length or chunked) and gives its status; -1 if none came within the socket timeout. */
    private static int statusOf(java.io.InputStream in) throws java.io.IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (java.net.SocketTimeoutException noAnswer) {
            return -1;
        }
        long length = 0;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line(in).split(";")[0].trim(), 16)) {
                in.readNBytes((int) size);
                line(in);
            }
            for (String t = line(in); !t.isEmpty(); t = line(in)) { /* trailers */ }
        } else {
            in.readNBytes((int) length);
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new java.io.EOFException("connection closed after: " + sb);
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void apiPathsThatNoServiceOwnsAreProblems() {
        client().get().uri("/api/unknown").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
    }
}
