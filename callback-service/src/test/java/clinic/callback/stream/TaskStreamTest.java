package clinic.callback.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.callback.CallbackServiceApplication;
import clinic.callback.CallbackTestBase;
import clinic.testsupport.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

class TaskStreamTest extends CallbackTestBase {
    private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
            new ParameterizedTypeReference<>() {};
    private static ConfigurableApplicationContext instanceB;

    /** A staff client on the stream of the instance at {@code port}: everything it receives. */
    static final class StreamClient implements AutoCloseable {
        final List<ServerSentEvent<Map<String, Object>>> received = new CopyOnWriteArrayList<>();
        /** Arrival time (System.nanoTime) per received event, for the measurement printed below. */
        final Map<ServerSentEvent<Map<String, Object>>, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();
        final Disposable subscription;

        StreamClient(int port, String lastEventId) {
            subscription = WebClient.create("http://localhost:" + port).get().uri("/api/staff/callbacks/stream")
                    .header(HttpHeaders.AUTHORIZATION, staff("watcher@clinic.test"))
                    .headers(h -> { if (lastEventId != null) h.set("Last-Event-ID", lastEventId); })
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .retrieve().bodyToFlux(SSE)
                    .subscribe(e -> {
                        arrivedAt.put(e, System.nanoTime());
                        received.add(e);
                    });
            // The stream's opening comment comes after its live subscription exists.
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(e -> "connected".equals(e.comment())));
        }

        List<ServerSentEvent<Map<String, Object>>> events() {
            return received.stream().filter(e -> e.event() != null).toList();
        }

        ServerSentEvent<Map<String, Object>> awaitEvent(String name, UUID id) {
            await().atMost(Duration.ofSeconds(20)).until(() -> find(name, id) != null);
            return find(name, id);
        }

        ServerSentEvent<Map<String, Object>> find(String name, UUID id) {
            return events().stream()
                    .filter(e -> name.equals(e.event()) && e.data() != null && id.toString().equals(e.data().get("id")))
                    .findFirst().orElse(null);
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }

    @Test
    void aClientConnectedBeforeARequestReceivesIt() {
        try (StreamClient client = new StreamClient(port, null)) {
            long sent = System.nanoTime();
            UUID id = requestCallback(newPhone());
            var event = client.awaitEvent("callback.requested", id);
            // A measurement for the record, not a pass/fail threshold.
            System.out.printf("stream latency: request sent -> event on stream %.1f ms%n",
                    (client.arrivedAt.get(event) - sent) / 1e6);
            assertThat(event.id()).isNotNull();
            assertThat(Long.parseLong(event.id())).isEqualTo(
                    count("select seq from task_change where callback_id = ? and event = 'callback.requested'", id));
            assertThat(event.data()).containsEntry("status", "OPEN").containsEntry("name", "Jo Smith")
                    .containsEntry("locationId", "doncaster").containsEntry("overdue", false)
                    .containsKeys("phone", "requestedAt", "dueAt", "attempts");

            staffPost("eve@clinic.test", "/api/staff/callbacks/" + id + "/claim", null).expectStatus().isOk();
            assertThat(client.awaitEvent("callback.claimed", id).data()).containsEntry("claimedBy", "eve@clinic.test")
                    .containsEntry("status", "CLAIMED");
            staffPost("eve@clinic.test", "/api/staff/callbacks/" + id + "/complete", Map.of("outcome", "INFO_GIVEN"))
                    .expectStatus().isOk();
            assertThat(client.awaitEvent("callback.completed", id).data()).containsEntry("status", "COMPLETED");

            // Ids only ever grow.
            List<Long> ids = client.events().stream().map(e -> Long.parseLong(Objects.requireNonNull(e.id()))).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aBookedCompletionShowsItsBookingOnTheStream() {
        try (StreamClient client = new StreamClient(port, null)) {
            UUID id = requestCallback(newPhone());
            staffPost("ivy@clinic.test", "/api/staff/callbacks/" + id + "/complete",
                    Map.of("outcome", "BOOKED", "bookingReference", "BK-22HJ9Z")).expectStatus().isOk();
            assertThat(client.awaitEvent("callback.completed", id).data()).containsEntry("status", "COMPLETED")
                    .containsEntry("outcome", "BOOKED").containsEntry("bookingReference", "BK-22HJ9Z");
        }
    }

    @Test
    void lastEventIdReplaysWhatWasMissedThenGoesLive() {
        UUID seen = requestCallback(newPhone());
        long seenSeq = count("select seq from task_change where callback_id = ?", seen);
        UUID missed1 = requestCallback(newPhone());
        UUID missed2 = requestCallback(newPhone());

        try (StreamClient client = new StreamClient(port, Long.toString(seenSeq))) {
            client.awaitEvent("callback.requested", missed1);
            client.awaitEvent("callback.requested", missed2);
            assertThat(client.find("callback.requested", seen)).isNull();
            UUID later = requestCallback(newPhone());
            client.awaitEvent("callback.requested", later);

            List<Long> ids = client.events().stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids).allSatisfy(s -> assertThat(s).isGreaterThan(seenSeq)).isSorted().doesNotHaveDuplicates();
            // Every change after the resume point arrives, none skipped.
            long expected = count("select count(*) from task_change where seq > ?", seenSeq);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.events().size() == expected);
        }
    }

    @Test
    void theFeedReconnectsWhenItsListenConnectionDrops() {
        String listeners = "select count(*) from pg_stat_activity where datname = current_database() "
                + "and query = 'LISTEN callback_changes' and pid <> pg_backend_pid()";
        long before = count(listeners);
        assertThat(before).isGreaterThanOrEqualTo(1);
        try (StreamClient client = new StreamClient(port, null)) {
            sql("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() "
                    + "and query = 'LISTEN callback_changes' and pid <> pg_backend_pid()");
            // Every instance opens a new dedicated connection and LISTENs again.
            await().atMost(Duration.ofSeconds(20)).until(() -> count(listeners) == before);
            UUID id = requestCallback(newPhone());
            client.awaitEvent("callback.requested", id);
        }
    }

    @Test
    void aBadLastEventIdIsAProblem() {
        web.get().uri("/api/staff/callbacks/stream").header(HttpHeaders.AUTHORIZATION, staff("x@clinic.test"))
                .header("Last-Event-ID", "yesterday").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation_failed");
        web.get().uri("/api/staff/callbacks/stream").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aClientOnOneInstanceSeesARequestMadeThroughAnother() {
        int portB = startInstanceB();
        try (StreamClient onA = new StreamClient(port, null); StreamClient onB = new StreamClient(portB, null)) {
            long sent = System.nanoTime();
            UUID viaB = UUID.fromString((String) WebClient.create("http://localhost:" + portB).post().uri("/api/callbacks")
                    .bodyValue(validRequest(newPhone())).retrieve().bodyToMono(Map.class)
                    .block(Duration.ofSeconds(20)).get("id"));
            var onAEvent = onA.awaitEvent("callback.requested", viaB);
            assertThat(onAEvent.data()).containsEntry("status", "OPEN");
            System.out.printf("stream latency across instances: request sent to B -> event on A %.1f ms%n",
                    (onA.arrivedAt.get(onAEvent) - sent) / 1e6);
            onB.awaitEvent("callback.requested", viaB);

            // And the other way round, for a staff action.
            staffPost("fay@clinic.test", "/api/staff/callbacks/" + viaB + "/claim", null).expectStatus().isOk();
            assertThat(onB.awaitEvent("callback.claimed", viaB).data()).containsEntry("claimedBy", "fay@clinic.test");
            // Idle streams carry heartbeat comments at the configured interval.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> onB.received.stream().filter(e -> "heartbeat".equals(e.comment())).count() >= 2);
            // Both instances number the same change the same way.
            assertThat(onB.find("callback.claimed", viaB).id()).isEqualTo(onA.awaitEvent("callback.claimed", viaB).id());
        }
    }

    /** A second instance of the service on the same database and broker, as in production. */
    private static synchronized int startInstanceB() {
        if (instanceB == null) {
            var pg = TestInfra.postgres();
            // As command-line arguments: they outrank application.yml's ${...} placeholders, as env vars would.
            instanceB = new SpringApplicationBuilder(CallbackServiceApplication.class).properties(
                    "logging.structured.format.console=").run(
                    "--server.port=0",
                    "--spring.r2dbc.url=" + pg.r2dbcUrl(database),
                    "--spring.r2dbc.username=" + pg.user(),
                    "--spring.r2dbc.password=" + pg.password(),
                    "--spring.flyway.url=" + pg.jdbcUrl(database),
                    "--spring.flyway.user=" + pg.user(),
                    "--spring.flyway.password=" + pg.password(),
                    "--spring.kafka.bootstrap-servers=" + TestInfra.kafkaBootstrap(),
                    "--clinic.security.jwks=" + clinic.testsupport.TestTokens.publicJwks(),
                    // Its own client credentials, as instance A's (CallbackTestBase): erasure asks booking-service.
                    "--clinic.security.token-uri=" + clinic.testsupport.FakeErasureOwner.url() + "/oauth2/token",
                    "--clinic.security.client-secret=" + clinic.testsupport.FakeErasureOwner.CLIENT_SECRET,
                    // Short, to see heartbeats within the test (the default is 15 s).
                    "--clinic.callbacks.stream-heartbeat=300ms");
        }
        return Integer.parseInt(instanceB.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopInstanceB() {
        if (instanceB != null) instanceB.close();
        instanceB = null;
    }
}
