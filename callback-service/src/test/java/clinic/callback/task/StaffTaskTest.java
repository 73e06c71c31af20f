package clinic.callback.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.callback.CallbackTestBase;
import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

class StaffTaskTest extends CallbackTestBase {

    record Outcome(int status, Map<String, Object> body) {}

    @Test
    void tenConcurrentClaimsHaveExactlyOneWinner() {
        UUID id = requestCallback(newPhone());
        WebClient client = WebClient.create("http://localhost:" + port);
        List<Outcome> outcomes = Flux.range(1, 10)
                .flatMap(i -> client.post().uri("/api/staff/callbacks/{id}/claim", id)
                        .header(HttpHeaders.AUTHORIZATION, staff("staff-" + i + "@clinic.test"))
                        .exchangeToMono(r -> r.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
                                .map(b -> new Outcome(r.statusCode().value(), b))), 10)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(outcomes).hasSize(10);
        List<Outcome> won = outcomes.stream().filter(o -> o.status() == 200).toList();
        List<Outcome> lost = outcomes.stream().filter(o -> o.status() != 200).toList();
        assertThat(won).hasSize(1);
        assertThat(lost).hasSize(9).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(409);
            assertThat(o.body()).containsEntry("code", "already_claimed");
        });
        String winner = (String) won.get(0).body().get("claimedBy");
        assertThat(winner).startsWith("staff-");

        // The database agrees: one holder, one claim event, one stream row.
        var rows = sql("select status, claimed_by from callback_request where id = ?", id);
        assertThat(rows).containsExactly(Map.of("status", "CLAIMED", "claimed_by", winner));
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.claimed.v1'",
                id.toString())).isEqualTo(1);
        assertThat(count("select count(*) from task_change where callback_id = ? and event = 'callback.claimed'", id))
                .isEqualTo(1);

        // Claiming again as the holder is fine and changes nothing.
        staffPost(winner, "/api/staff/callbacks/" + id + "/claim", null).expectStatus().isOk()
                .expectBody().jsonPath("$.claimedBy").isEqualTo(winner);
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.claimed.v1'",
                id.toString())).isEqualTo(1);
    }

    @Test
    void onlyTheHolderWorksATaskAndACompletedTaskIsClosed() {
        UUID id = requestCallback(newPhone());
        String base = "/api/staff/callbacks/" + id;

        // The first attempt claims an unclaimed task.
        staffPost("ann@clinic.test", base + "/attempts", Map.of("outcome", "NO_ANSWER", "note", "Rang twice"))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("CLAIMED")
                .jsonPath("$.claimedBy").isEqualTo("ann@clinic.test")
                .jsonPath("$.claimedAt").exists()
                .jsonPath("$.attempts.length()").isEqualTo(1)
                .jsonPath("$.attempts[0].outcome").isEqualTo("NO_ANSWER")
                .jsonPath("$.attempts[0].note").isEqualTo("Rang twice")
                .jsonPath("$.attempts[0].by").isEqualTo("ann@clinic.test")
                .jsonPath("$.attempts[0].at").exists();

        staffPost("bob@clinic.test", base + "/attempts", Map.of("outcome", "REACHED")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("claimed_by_other");
        staffPost("bob@clinic.test", base + "/complete", Map.of("outcome", "BOOKED")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("claimed_by_other");
        staffPost("bob@clinic.test", base + "/claim", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("already_claimed");

        staffPost("ann@clinic.test", base + "/attempts", Map.of("outcome", "REACHED")).expectStatus().isOk()
                .expectBody().jsonPath("$.attempts.length()").isEqualTo(2);
        staffPost("ann@clinic.test", base + "/complete", Map.of("outcome", "BOOKED", "note", "Physio on Tuesday"))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("COMPLETED")
                .jsonPath("$.outcome").isEqualTo("BOOKED")
                .jsonPath("$.completedAt").exists()
                .jsonPath("$.completedBy").isEqualTo("ann@clinic.test")
                .jsonPath("$.overdue").isEqualTo(false);

        for (String action : List.of("/claim", "/attempts", "/complete")) {
            Object body = action.equals("/claim") ? null
                    : Map.of("outcome", action.equals("/attempts") ? "REACHED" : "INFO_GIVEN");
            staffPost("ann@clinic.test", base + action, body).expectStatus().isEqualTo(409)
                    .expectBody().jsonPath("$.code").isEqualTo("already_completed");
        }

        var row = sql("select status, claimed_by, completed_by, outcome, completion_note from callback_request where id = ?", id).get(0);
        assertThat(row).containsEntry("status", "COMPLETED").containsEntry("claimed_by", "ann@clinic.test")
                .containsEntry("completed_by", "ann@clinic.test").containsEntry("outcome", "BOOKED");
        assertThat(sql("select attempt_number, attempted_by from callback_attempt where callback_id = ? order by 1", id))
                .containsExactly(Map.of("attempt_number", 1, "attempted_by", "ann@clinic.test"),
                        Map.of("attempt_number", 2, "attempted_by", "ann@clinic.test"));
        assertThat(sql("select event from task_change where callback_id = ? order by seq", id)).extracting(m -> m.get("event"))
                .containsExactly("callback.requested", "callback.claimed", "callback.attempted", "callback.attempted",
                        "callback.completed");
    }

    @Test
    void badInputAndUnknownIdsAreProblems() {
        UUID id = requestCallback(newPhone());
        staffPost("ann@clinic.test", "/api/staff/callbacks/" + id + "/attempts", Map.of("outcome", "BUSY"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("outcome");
        staffPost("ann@clinic.test", "/api/staff/callbacks/" + id + "/complete", Map.of())
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.violations[0].field").isEqualTo("outcome");
        staffPost("ann@clinic.test", "/api/staff/callbacks/" + UUID.randomUUID() + "/claim", null)
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        staffPost("ann@clinic.test", "/api/staff/callbacks/" + UUID.randomUUID() + "/attempts", Map.of("outcome", "REACHED"))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        staffPost("ann@clinic.test", "/api/staff/callbacks/not-a-uuid/complete", Map.of("outcome", "BOOKED"))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("not_found");
        web.get().uri("/api/staff/callbacks?status=LOST").header(HttpHeaders.AUTHORIZATION, staff("ann@clinic.test"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("validation_failed");
        // Nothing above changed the task.
        assertThat(sql("select status from callback_request where id = ?", id)).containsExactly(Map.of("status", "OPEN"));
    }

    @Test
    void theListFiltersByStatusAndLocation() {
        var body = validRequest(newPhone());
        body.put("locationId", "hathersage");
        String hathersage = (String) web.post().uri("/api/callbacks").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody().get("id");
        UUID doncaster = requestCallback(newPhone());
        staffPost("cat@clinic.test", "/api/staff/callbacks/" + doncaster + "/claim", null).expectStatus().isOk();

        List<Map<String, Object>> open = list("?status=OPEN&locationId=hathersage");
        assertThat(open).extracting(t -> t.get("id")).contains(hathersage).doesNotContain(doncaster.toString());
        assertThat(open).allSatisfy(t -> assertThat(t).containsEntry("status", "OPEN").containsEntry("locationId", "hathersage"));
        Map<String, Object> task = open.stream().filter(t -> t.get("id").equals(hathersage)).findFirst().orElseThrow();
        assertThat(task).containsKeys("id", "name", "phone", "email", "locationId", "preferredTime", "message", "status",
                "requestedAt", "dueAt", "overdue", "attempts");
        assertThat(task).containsEntry("overdue", false).containsEntry("attempts", List.of());

        List<Map<String, Object>> claimed = list("?status=CLAIMED");
        assertThat(claimed).extracting(t -> t.get("id")).contains(doncaster.toString()).doesNotContain(hathersage);
        assertThat(list("")).extracting(t -> t.get("id")).contains(doncaster.toString(), hathersage);
    }

    private List<Map<String, Object>> list(String query) {
        return web.get().uri("/api/staff/callbacks" + query).header(HttpHeaders.AUTHORIZATION, staff("cat@clinic.test"))
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult().getResponseBody();
    }

    @Test
    void everyStepIsPublishedOnKafkaInOrder() {
        UUID id = requestCallback(newPhone());
        String base = "/api/staff/callbacks/" + id;
        staffPost("dee@clinic.test", base + "/claim", null).expectStatus().isOk();
        staffPost("dee@clinic.test", base + "/attempts", Map.of("outcome", "VOICEMAIL")).expectStatus().isOk();
        staffPost("dee@clinic.test", base + "/complete", Map.of("outcome", "UNREACHABLE")).expectStatus().isOk();

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> types = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("callback.events"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (!id.toString().equals(r.key())) continue;
                    types.add(new String(r.headers().lastHeader(CloudEventHeaders.TYPE).value(), StandardCharsets.UTF_8));
                    payloads.add(r.value());
                }
                return types.size() >= 4;
            });
        }
        assertThat(types).containsExactly("callback.requested.v2", "callback.claimed.v1", "callback.attempted.v2",
                "callback.completed.v2");
        assertThat(payloads.get(2)).contains("\"attemptNumber\":1", "\"outcome\":\"VOICEMAIL\"", "\"by\":\"dee@clinic.test\"");
        assertThat(payloads.get(3)).contains("\"outcome\":\"UNREACHABLE\"", "\"attempts\":1", "\"locationId\":\"doncaster\"");
    }

    private WebTestClient.ResponseSpec adminPost(String who, String path, Object body) {
        var spec = web.post().uri(path).header(HttpHeaders.AUTHORIZATION, bearer(who, "ADMIN"));
        return body == null ? spec.exchange() : spec.bodyValue(body).exchange();
    }

    @Test
    void theHolderHandsATaskBackAndOnlyAnAdminReleasesAColleaguesClaim() {
        UUID id = requestCallback(newPhone());
        String base = "/api/staff/callbacks/" + id;
        staffPost("gil@clinic.test", base + "/claim", null).expectStatus().isOk();

        // A colleague cannot take it off Gil.
        staffPost("hal@clinic.test", base + "/release", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("claimed_by_other");
        assertThat(sql("select status, claimed_by from callback_request where id = ?", id))
                .containsExactly(Map.of("status", "CLAIMED", "claimed_by", "gil@clinic.test"));

        // Gil hands it back: open again, for anyone to claim; the stream and the topic hear of it.
        staffPost("gil@clinic.test", base + "/release", null).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("OPEN").jsonPath("$.claimedBy").doesNotExist();
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.released.v1'",
                id.toString())).isEqualTo(1);
        assertThat(count("select count(*) from task_change where callback_id = ? and event = 'callback.released'", id))
                .isEqualTo(1);
        // Releasing an open task changes nothing.
        staffPost("gil@clinic.test", base + "/release", null).expectStatus().isOk();
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.released.v1'",
                id.toString())).isEqualTo(1);

        // Hal claims it, goes home; an admin releases Hal's claim.
        staffPost("hal@clinic.test", base + "/claim", null).expectStatus().isOk();
        adminPost("boss@clinic.test", base + "/release", null).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("OPEN");
        assertThat(count("select count(*) from audit_entry where actor = ? and action = 'callback.released'",
                "boss@clinic.test")).isEqualTo(1);

        // A completed task stays completed.
        staffPost("gil@clinic.test", base + "/complete", Map.of("outcome", "INFO_GIVEN")).expectStatus().isOk();
        adminPost("boss@clinic.test", base + "/release", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("already_completed");
    }

    @Test
    void anAdminGivesATaskToAColleague() {
        UUID id = requestCallback(newPhone());
        String base = "/api/staff/callbacks/" + id;
        staffPost("ivy@clinic.test", base + "/claim", null).expectStatus().isOk();

        // Staff cannot hand out work; a missing name is a validation error.
        staffPost("ivy@clinic.test", base + "/reassign", Map.of("to", "jon@clinic.test")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        adminPost("boss@clinic.test", base + "/reassign", Map.of("to", " ")).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[0].field").isEqualTo("to");

        adminPost("boss@clinic.test", base + "/reassign", Map.of("to", "jon@clinic.test")).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("CLAIMED").jsonPath("$.claimedBy").isEqualTo("jon@clinic.test");
        // Now Jon's: Ivy can no longer work it, Jon can.
        staffPost("ivy@clinic.test", base + "/attempts", Map.of("outcome", "NO_ANSWER")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("claimed_by_other");
        staffPost("jon@clinic.test", base + "/attempts", Map.of("outcome", "NO_ANSWER")).expectStatus().isOk();
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.claimed.v1'",
                id.toString())).isEqualTo(2);
    }
}
