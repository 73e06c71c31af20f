package clinic.callback.task;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;

/**
 * Staff actions on a callback are in the audit log (kit {@code GET /api/admin/audit}) under the staff
 * user who took them, written with the change (a refused action leaves none) and without anything
 * the customer or a note said.
 */
class CallbackAuditTest extends CallbackTestBase {

    @Test
    void claimAttemptAndCompletionAreAuditedUnderTheStaffUser() {
        String phone = newPhone();
        UUID id = requestCallback(phone);
        String base = "/api/staff/callbacks/" + id;
        String ann = "ann-" + UUID.randomUUID() + "@clinic.test";
        String bob = "bob-" + UUID.randomUUID() + "@clinic.test";
        String attemptNote = "Left a voicemail about the knee";
        String completionNote = "Physio assessment on Tuesday";

        staffPost(ann, base + "/claim", null).expectStatus().isOk();
        staffPost(ann, base + "/claim", null).expectStatus().isOk(); // already hers: no second claim
        staffPost(ann, base + "/attempts", Map.of("outcome", "VOICEMAIL", "note", attemptNote)).expectStatus().isOk();
        staffPost(bob, base + "/complete", Map.of("outcome", "BOOKED")).expectStatus().isEqualTo(409);
        staffPost(ann, base + "/complete", Map.of("outcome", "BOOKED", "note", completionNote,
                "bookingReference", "BK-7K3M9Q")).expectStatus().isOk();

        List<Map<String, Object>> entries = audit("?actor=" + ann);
        assertThat(entries).extracting(e -> e.get("action"))
                .containsExactly("callback.completed", "callback.attempted", "callback.claimed");
        assertThat(entries).allSatisfy(e -> assertThat(e).containsEntry("actor", ann)
                .containsEntry("target", "callback/" + id).containsEntry("service", "callback-service")
                .containsKey("at"));
        assertThat(entries.get(0).get("details")).isEqualTo(Map.of("outcome", "BOOKED",
                "noteLength", completionNote.length(), "attempts", 1, "bookingReference", "BK-7K3M9Q"));
        assertThat(entries.get(1).get("details")).isEqualTo(Map.of("attempt", 1, "outcome", "VOICEMAIL",
                "noteLength", attemptNote.length()));
        assertThat(entries.get(2).get("details")).isEqualTo(Map.of("locationId", "doncaster"));

        // The refused completion wrote nothing.
        assertThat(audit("?actor=" + bob)).isEmpty();

        // Neither the customer's details nor the notes are in the log.
        var request = validRequest(phone);
        String e164 = "+44" + phone.replace(" ", "").substring(1);
        String raw = web.get().uri("/api/admin/audit?actor=" + ann).header(HttpHeaders.AUTHORIZATION, admin())
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).doesNotContain((String) request.get("name"), (String) request.get("email"), phone, e164,
                attemptNote, completionNote);
    }

    @Test
    void anAttemptOnAnOpenTaskIsAuditedAsAClaimAndAnAttempt() {
        UUID id = requestCallback(newPhone());
        String cat = "cat-" + UUID.randomUUID() + "@clinic.test";
        staffPost(cat, "/api/staff/callbacks/" + id + "/attempts", Map.of("outcome", "NO_ANSWER")).expectStatus().isOk();

        List<Map<String, Object>> entries = audit("?actor=" + cat);
        assertThat(entries).extracting(e -> e.get("action")).containsExactly("callback.attempted", "callback.claimed");
        assertThat(entries.get(0).get("details")).isEqualTo(Map.of("attempt", 1, "outcome", "NO_ANSWER", "noteLength", 0));
    }

    @Test
    void onlyAdminsReadTheLog() {
        web.get().uri("/api/admin/audit").header(HttpHeaders.AUTHORIZATION, staff("dee@clinic.test")).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/admin/audit").exchange().expectStatus().isUnauthorized();
    }

    private static String admin() {
        return bearer("admin@clinic.test", "ADMIN");
    }

    private List<Map<String, Object>> audit(String query) {
        return web.get().uri("/api/admin/audit" + query).header(HttpHeaders.AUTHORIZATION, admin())
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult()
                .getResponseBody();
    }
}
