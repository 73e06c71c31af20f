package clinic.callback.request;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import clinic.callback.sla.WorkingHours;
import clinic.callback.config.CallbackProperties;
import clinic.contracts.Fixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

class CallbackRequestTest extends CallbackTestBase {
    @Autowired CallbackProperties props;
    @Autowired ObjectMapper mapper;

    private void expectViolation(Map<String, Object> body, String field) {
        web.post().uri("/api/callbacks").bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("validation_failed")
                .jsonPath("$.violations[?(@.field == '" + field + "')]").exists();
    }

    @Test
    void consentThatIsMissingOrNotGivenIsRefusedNamingTheBox() {
        String phone = newPhone();
        long before = count("select count(*) from callback_request");

        var noConsent = validRequest(phone);
        noConsent.remove("consent");
        expectViolation(noConsent, "consent.termsAndPrivacy");

        var declined = validRequest(phone);
        declined.put("consent", Map.of("termsAndPrivacy", false, "policyVersion", "2026-01"));
        expectViolation(declined, "consent.termsAndPrivacy");

        var unticked = validRequest(phone);
        unticked.put("consent", Map.of("policyVersion", "2026-01"));
        expectViolation(unticked, "consent.termsAndPrivacy");

        assertThat(count("select count(*) from callback_request")).isEqualTo(before);
    }

    @Test
    void invalidPhoneNumbersAreRefused() {
        for (String bad : List.of("12345", "0114 496 012", "+44 20 7946 000", "call me", "+999 123 456 789")) {
            expectViolation(validRequest(bad), "phone");
        }
        var missing = validRequest("x");
        missing.remove("phone");
        expectViolation(missing, "phone");
    }

    @Test
    void otherFieldsAreValidatedToo() {
        var body = validRequest(newPhone());
        body.put("locationId", "london");
        expectViolation(body, "locationId");

        body = validRequest(newPhone());
        body.put("preferredTime", "midnight");
        expectViolation(body, "preferredTime");

        body = validRequest(newPhone());
        body.put("message", "x".repeat(1001));
        expectViolation(body, "message");

        body = validRequest(newPhone());
        body.put("name", "J");
        expectViolation(body, "name");

        body = validRequest(newPhone());
        body.put("email", "not-an-email");
        expectViolation(body, "email");

        web.post().uri("/api/callbacks").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("malformed_request");
    }

    @Test
    void aRequestIsStoredNormalisedWithItsConsentsItsDueTimeAndItsEvent() throws Exception {
        String national = newPhone();
        String e164 = "+44" + national.substring(1).replace(" ", "");
        UUID id = requestCallback(national);

        var row = sql("select * from callback_request where id = ?", id).get(0);
        assertThat(row).containsEntry("phone", e164).containsEntry("status", "OPEN")
                .containsEntry("location_id", "doncaster").containsEntry("marketing_opt_in", false);
        Instant requestedAt = ((OffsetDateTime) row.get("requested_at")).toInstant();
        Instant dueAt = ((OffsetDateTime) row.get("due_at")).toInstant();
        assertThat(dueAt).isEqualTo(WorkingHours.of(props).plus(requestedAt, Duration.ofHours(2)));

        var consents = sql("select purpose, granted, policy_version, recorded_at from consent where callback_id = ? order by purpose", id);
        assertThat(consents).hasSize(2);
        assertThat(consents.get(0)).containsEntry("purpose", "MARKETING").containsEntry("granted", false)
                .containsEntry("policy_version", "2026-01");
        assertThat(consents.get(1)).containsEntry("purpose", "TERMS_AND_PRIVACY").containsEntry("granted", true)
                .containsEntry("policy_version", "2026-01");
        assertThat(((OffsetDateTime) consents.get(1).get("recorded_at")).toInstant()).isEqualTo(requestedAt);

        var events = sql("select payload from outbox_event where event_key = ? and event_type = 'callback.requested.v2'", id.toString());
        assertThat(events).hasSize(1);
        Map<String, Object> payload = mapper.readValue((String) events.get(0).get("payload"), Map.class);
        Map<String, Object> golden = mapper.readValue(Fixtures.json("callback.requested.v2"), Map.class);
        assertThat(payload.keySet()).containsExactlyInAnyOrderElementsOf(golden.keySet());
        // ids only on the topic (docs/adr/0007): no name, phone, email or message
        assertThat(payload).containsEntry("callbackId", id.toString())
                .containsEntry("policyVersion", "2026-01").containsEntry("marketingOptIn", false)
                .doesNotContainKeys("name", "phone", "email", "message");
        assertThat((String) events.get(0).get("payload")).doesNotContain(e164);
        assertThat(count("select count(*) from task_change where callback_id = ? and event = 'callback.requested'", id))
                .isEqualTo(1);
    }

    @Test
    void marketingOptInIsItsOwnConsent() {
        var body = validRequest(newPhone());
        body.put("marketingOptIn", true);
        body.put("consent", Map.of("termsAndPrivacy", true, "policyVersion", "2026-02"));
        String id = (String) web.post().uri("/api/callbacks").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody().get("id");
        var marketing = sql("select granted, policy_version from consent where callback_id = ?::uuid and purpose = 'MARKETING'", id);
        assertThat(marketing).containsExactly(Map.of("granted", true, "policy_version", "2026-02"));
        assertThat((String) sql("select payload from outbox_event where event_key = ?", id).get(0).get("payload"))
                .contains("\"marketingOptIn\":true");
    }

    @Test
    void aFilledHoneypotIsAnsweredButNothingIsStoredOrPublished() {
        long requests = count("select count(*) from callback_request");
        long consents = count("select count(*) from consent");
        long events = count("select count(*) from outbox_event");
        long changes = count("select count(*) from task_change");
        var body = validRequest(newPhone());
        body.put("website", "http://spam.example");

        Map<?, ?> res = web.post().uri("/api/callbacks").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(res.get("status")).isEqualTo("OPEN");
        UUID fakeId = UUID.fromString((String) res.get("id"));

        assertThat(count("select count(*) from callback_request where id = ?", fakeId)).isZero();
        assertThat(count("select count(*) from callback_request")).isEqualTo(requests);
        assertThat(count("select count(*) from consent")).isEqualTo(consents);
        assertThat(count("select count(*) from outbox_event")).isEqualTo(events);
        assertThat(count("select count(*) from task_change")).isEqualTo(changes);
    }

    @Test
    void theSamePhoneWhileItsRequestIsOpenGetsThatRequestBack() {
        String national = newPhone();
        UUID first = requestCallback(national);
        // Same number, other spelling: normalisation makes it the same phone.
        UUID second = requestCallback("+44" + national.substring(1));
        assertThat(second).isEqualTo(first);
        String e164 = "+44" + national.substring(1).replace(" ", "");
        assertThat(count("select count(*) from callback_request where phone = ?", e164)).isEqualTo(1);
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type = 'callback.requested.v2'",
                first.toString())).isEqualTo(1);
        assertThat(count("select count(*) from task_change where callback_id = ?", first)).isEqualTo(1);

        // Once staff have it, the same phone makes a new request.
        staffPost("staff-dup@clinic.test", "/api/staff/callbacks/" + first + "/claim", null).expectStatus().isOk();
        assertThat(requestCallback(national)).isNotEqualTo(first);
    }

    @Test
    void simultaneousRequestsFromOnePhoneMakeOneTask() {
        String phone = newPhone();
        var ids = reactor.core.publisher.Flux.range(0, 6)
                .flatMap(i -> org.springframework.web.reactive.function.client.WebClient.create("http://localhost:" + port)
                        .post().uri("/api/callbacks").bodyValue(validRequest(phone)).retrieve().bodyToMono(Map.class))
                .map(m -> m.get("id"))
                .collectList().block(Duration.ofSeconds(30));
        assertThat(ids).hasSize(6);
        assertThat(new java.util.HashSet<>(ids)).hasSize(1);
        assertThat(count("select count(*) from callback_request where phone = ?", "+44" + phone.substring(1).replace(" ", "")))
                .isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
        String key = "key-" + UUID.randomUUID();
        var body = validRequest(newPhone());
        Map<?, ?> first = web.post().uri("/api/callbacks").header("Idempotency-Key", key).bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> again = web.post().uri("/api/callbacks").header("Idempotency-Key", key).bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again).isEqualTo(first);
        assertThat(count("select count(*) from outbox_event where event_key = ?", first.get("id"))).isEqualTo(1);

        var other = new HashMap<>(body);
        other.put("message", "something else");
        web.post().uri("/api/callbacks").header("Idempotency-Key", key).bodyValue(other).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency_key_reused");
    }

    @Test
    void staffEndpointsNeedAStaffToken() {
        web.get().uri("/api/staff/callbacks").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        web.get().uri("/api/staff/callbacks").header(HttpHeaders.AUTHORIZATION, bearer("m@clinic.test", "MARKETING"))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/staff/callbacks").header(HttpHeaders.AUTHORIZATION, bearer("a@clinic.test", "ADMIN"))
                .exchange().expectStatus().isOk();
    }
}
