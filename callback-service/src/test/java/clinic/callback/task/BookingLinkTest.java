package clinic.callback.task;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.callback.CallbackTestBase;
import clinic.contracts.callback.CallbackCompletedV2;
import clinic.contracts.callback.CallbackTopics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;

/**
 * CONTRACT 1.1: completing a callback with outcome BOOKED accepts {@code bookingReference} and
 * links the two: the task shows it to staff and the completion event carries it.
 */
class BookingLinkTest extends CallbackTestBase {
    @Autowired ObjectMapper mapper;

    @Test
    void aBookedCallbackNamesItsBookingInTheTaskAndTheEvent() throws Exception {
        UUID id = requestCallback(newPhone());
        String base = "/api/staff/callbacks/" + id;
        // As typed by someone who heard it on the phone: lower case, a stray space.
        staffPost("gus@clinic.test", base + "/complete", Map.of("outcome", "BOOKED", "bookingReference", " bk-7k3m9q"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("COMPLETED")
                .jsonPath("$.bookingReference").isEqualTo("BK-7K3M9Q");

        Map<String, Object> listed = web.get().uri("/api/staff/callbacks?status=COMPLETED&limit=1000")
                .header(HttpHeaders.AUTHORIZATION, staff("gus@clinic.test")).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {}).returnResult()
                .getResponseBody().stream().filter(t -> id.toString().equals(t.get("id"))).findFirst().orElseThrow();
        assertThat(listed).containsEntry("bookingReference", "BK-7K3M9Q").containsEntry("outcome", "BOOKED");

        String payload = (String) sql("select payload from outbox_event where event_key = ? and event_type = ?",
                id.toString(), CallbackTopics.COMPLETED_V2).get(0).get("payload");
        CallbackCompletedV2 event = mapper.readValue(payload, CallbackCompletedV2.class);
        assertThat(event.bookingReference()).isEqualTo("BK-7K3M9Q");
        assertThat(event.outcome()).isEqualTo("BOOKED");
    }

    @Test
    void withoutAReferenceNothingIsLinked() throws Exception {
        UUID id = requestCallback(newPhone());
        staffPost("gus@clinic.test", "/api/staff/callbacks/" + id + "/complete", Map.of("outcome", "BOOKED"))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("COMPLETED")
                .jsonPath("$.bookingReference").doesNotExist();
        String payload = (String) sql("select payload from outbox_event where event_key = ? and event_type = ?",
                id.toString(), CallbackTopics.COMPLETED_V2).get(0).get("payload");
        assertThat(mapper.readTree(payload).has("bookingReference")).isFalse();
    }

    @Test
    void aReferenceThatIsNotOneOrComesWithAnotherOutcomeIsRefusedAndChangesNothing() {
        UUID id = requestCallback(newPhone());
        String complete = "/api/staff/callbacks/" + id + "/complete";
        // Wrong prefix, too short, a letter booking-service never uses (O), junk, and an over-long value.
        for (String bad : List.of("AB-7K3M9Q", "BK-7K3M9", "BK-7K3MOQ", "BK-7K3M9Q1", "7K3M9Q", "x".repeat(65))) {
            staffPost("hal@clinic.test", complete, Map.of("outcome", "BOOKED", "bookingReference", bad))
                    .expectStatus().isBadRequest()
                    .expectBody().jsonPath("$.code").isEqualTo("validation_failed")
                    .jsonPath("$.violations[0].field").isEqualTo("bookingReference");
        }
        staffPost("hal@clinic.test", complete, Map.of("outcome", "INFO_GIVEN", "bookingReference", "BK-7K3M9Q"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.violations[0].field").isEqualTo("bookingReference");

        // Refused before anything was written: not claimed, not completed, no event, no audit entry.
        var row = sql("select status, booking_reference from callback_request where id = ?", id).get(0);
        assertThat(row.get("status")).isEqualTo("OPEN");
        assertThat(row.get("booking_reference")).isNull();
        assertThat(count("select count(*) from outbox_event where event_key = ? and event_type <> ?",
                id.toString(), CallbackTopics.REQUESTED_V2)).isZero();
        assertThat(count("select count(*) from audit_entry where target = ?", "callback/" + id)).isZero();
    }
}
