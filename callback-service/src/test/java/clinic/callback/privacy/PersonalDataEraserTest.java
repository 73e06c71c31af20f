package clinic.callback.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class PersonalDataEraserTest extends CallbackTestBase {
    @Autowired PersonalDataEraser eraser;

    private UUID completedWithNotes(String who) {
        UUID id = requestCallback(newPhone());
        staffPost(who, "/api/staff/callbacks/" + id + "/attempts", Map.of("outcome", "REACHED", "note", "Spoke to Jo"))
                .expectStatus().isOk();
        staffPost(who, "/api/staff/callbacks/" + id + "/complete", Map.of("outcome", "BOOKED", "note", "Jo booked"))
                .expectStatus().isOk();
        return id;
    }

    @Test
    void personalDataOfLongCompletedRequestsIsErasedAndTheFactsStay() {
        UUID old = completedWithNotes("hal@clinic.test");
        UUID recent = completedWithNotes("hal@clinic.test");
        UUID open = requestCallback(newPhone());
        sql("update callback_request set completed_at = now() - interval '91 days' where id = ?", old);
        sql("update callback_request set requested_at = now() - interval '200 days' where id = ?", open);

        assertThat(eraser.eraseExpired().block(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1L);
        assertThat(eraser.eraseExpired().block(Duration.ofSeconds(10))).isZero();

        var erased = sql("select * from callback_request where id = ?", old).get(0);
        assertThat(erased.get("name")).isNull();
        assertThat(erased.get("phone")).isNull();
        assertThat(erased.get("email")).isNull();
        assertThat(erased.get("message")).isNull();
        assertThat(erased.get("completion_note")).isNull();
        assertThat(erased.get("erased_at")).isNotNull();
        assertThat(erased).containsEntry("outcome", "BOOKED").containsEntry("location_id", "doncaster")
                .containsEntry("status", "COMPLETED").containsEntry("completed_by", "hal@clinic.test");
        assertThat(erased.get("requested_at")).isNotNull();
        assertThat(sql("select note, outcome from callback_attempt where callback_id = ?", old).get(0))
                .containsEntry("outcome", "REACHED").containsEntry("note", null);
        assertThat(count("select count(*) from consent where callback_id = ?", old)).isEqualTo(2);

        // Not yet due for erasure: a recent completion and a request still open, however old.
        assertThat(sql("select name, phone, completion_note from callback_request where id = ?", recent).get(0))
                .containsEntry("name", "Jo Smith").containsEntry("completion_note", "Jo booked");
        assertThat(sql("select name from callback_request where id = ?", open).get(0)).containsEntry("name", "Jo Smith");
    }
}
