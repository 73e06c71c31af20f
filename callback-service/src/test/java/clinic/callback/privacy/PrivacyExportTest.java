package clinic.callback.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** callback-service's part of a subject access export: the requests, their attempts and the consents with their policy version. */
class PrivacyExportTest extends CallbackTestBase {

    @Test
    void theExportHasTheRequestsTheirAttemptsAndTheConsentsWithTheirPolicyVersion() {
        String email = "exported-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Map<String, Object> body = validRequest(newPhone());
        body.put("email", email.toUpperCase());
        body.put("marketingOptIn", true);
        String id = (String) web.post().uri("/api/callbacks").bodyValue(body).exchange().expectStatus().isAccepted()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        staffPost("ann@clinic.test", "/api/staff/callbacks/" + id + "/attempts", Map.of("outcome", "NO_ANSWER", "note", "Rang once"))
                .expectStatus().isOk();

        Map<?, ?> got = web.get().uri(b -> b.path("/api/admin/privacy/export").queryParam("email", "{e}").build(Map.of("e", email)))
                .header(HttpHeaders.AUTHORIZATION, bearer("admin@clinic.test", "ADMIN")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> callbacks = (List<Map<String, Object>>) got.get("callbacks");
        assertThat(callbacks).hasSize(1);
        assertThat(callbacks.get(0)).containsEntry("id", id).containsEntry("name", "Jo Smith")
                .containsEntry("message", "Knee pain after running, is physio right for me?")
                .containsEntry("marketingOptIn", true);
        assertThat((List<Map<String, Object>>) callbacks.get(0).get("attempts")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("outcome", "NO_ANSWER").containsEntry("note", "Rang once"));
        assertThat((List<Map<String, Object>>) got.get("consents")).extracting(c -> c.get("purpose") + "/" + c.get("granted")
                + "/" + c.get("policyVersion")).containsExactlyInAnyOrder("TERMS_AND_PRIVACY/true/2026-01", "MARKETING/true/2026-01");
        assertThat(count("select count(*) from audit_entry where action = 'privacy.exported' and actor = 'admin@clinic.test'"))
                .isGreaterThanOrEqualTo(1);
        assertThat(count("select count(*) from audit_entry where details::text ilike ? or target ilike ?",
                "%" + email + "%", "%" + email + "%")).isZero();

        // erased by retention: no longer in an export
        sql("update callback_request set name = null, phone = null, email = null, message = null, erased_at = now() where id = ?::uuid", id);
        web.get().uri(b -> b.path("/api/admin/privacy/export").queryParam("email", "{e}").build(Map.of("e", email)))
                .header(HttpHeaders.AUTHORIZATION, bearer("admin@clinic.test", "ADMIN")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.callbacks.length()").isEqualTo(0).jsonPath("$.consents.length()").isEqualTo(0);
        web.get().uri("/api/admin/privacy/export?email=" + email).header(HttpHeaders.AUTHORIZATION, staff("ann@clinic.test"))
                .exchange().expectStatus().isForbidden();
    }
}
