package clinic.booking.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.support.BookingTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * booking-service's part of a subject access export, and the retention job that anonymises bookings
 * 24 months after the appointment and drops old Idempotency-Key answers, with a controlled clock.
 * Dates: March 2027 with sheffield-ben, which no other test uses.
 */
class PrivacyTest extends BookingTestBase {
    @Autowired Retention retention;

    private JsonNode book(String email, Instant at, String idempotencyKey) {
        Map<String, Object> body = booking("sheffield", "sports-massage-30", "sheffield-ben", at);
        body.put("customer", Map.of("name", "Ada Privacy", "email", email, "phone", "07911 123457"));
        body.put("notes", "left knee");
        var spec = http.post().uri("/api/bookings").contentType(org.springframework.http.MediaType.APPLICATION_JSON);
        if (idempotencyKey != null) spec = spec.header("Idempotency-Key", idempotencyKey);
        return spec.bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode export(String email) {
        return http.get().uri(b -> b.path("/api/admin/privacy/export").queryParam("email", "{e}").build(Map.of("e", email)))
                .header("Authorization", "Bearer " + adminToken()).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void theExportFindsEveryBookingOfTheAddressWhateverItsCaseAndIsAuditedWithoutIt() {
        String email = "ada.export@example.com";
        String first = book(email, Instant.parse("2027-03-16T10:00:00Z"), null).get("reference").asText();
        String second = book("Ada.Export@Example.com", Instant.parse("2027-03-17T10:00:00Z"), null).get("reference").asText();
        book("someone.else@example.com", Instant.parse("2027-03-18T10:00:00Z"), null);

        JsonNode got = export("ADA.export@example.com");
        assertThat(got.get("bookings")).hasSize(2);
        assertThat(got.findValuesAsText("reference")).containsExactly(second, first);
        JsonNode b = got.get("bookings").get(1);
        assertThat(b.get("name").asText()).isEqualTo("Ada Privacy");
        assertThat(b.get("phone").asText()).isEqualTo("+447911123457");
        assertThat(b.get("notes").asText()).isEqualTo("left knee");
        assertThat(b.get("startsAt").asText()).isEqualTo("2027-03-16T10:00:00Z");

        assertThat(sql("select count(*) from audit_entry where action = 'privacy.exported' "
                + "and actor = 'admin@clinic.test' and details like '%\"bookings\":2%'")).isEqualTo(1);
        assertThat(sql("select count(*) from audit_entry where details::text ilike '%ada.export%' "
                + "or target ilike '%ada.export%'")).isZero();

        http.get().uri("/api/admin/privacy/export?email=" + email).header("Authorization", "Bearer " + staffToken())
                .exchange().expectStatus().isForbidden();
        http.get().uri("/api/admin/privacy/export?email=nope").header("Authorization", "Bearer " + adminToken())
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.violations[0].field").isEqualTo("email");
    }

    @Test
    void bookingsAreAnonymisedTwentyFourMonthsAfterTheAppointmentOnceAndKeepWhatAnalyticsNeeds() {
        String email = "ada.retention@example.com";
        Instant old = Instant.parse("2027-03-22T10:00:00Z");
        Instant later = Instant.parse("2027-03-24T10:00:00Z");
        String oldRef = book(email, old, "retention-key-1").get("reference").asText();
        String laterRef = book(email, later, null).get("reference").asText();
        // as the staff desk leaves a cancel reason (what the caller told us goes with their details)
        db.sql("update booking set cancel_reason = 'caller unwell' where reference in ('" + oldRef + "', '" + laterRef + "')")
                .fetch().rowsUpdated().block();

        // 24 months (730 days) after the first appointment's end, not yet after the second's
        CLOCK.setTo(old.plus(Duration.ofDays(731)));
        // (other classes' bookings of early 2027 in this shared database go too)
        assertThat(retention.anonymiseExpired().block()).isGreaterThanOrEqualTo(1);
        assertThat(retention.anonymiseExpired().block()).as("a second run finds nothing").isZero();

        assertThat(sql("select count(*) from booking where reference = '" + oldRef + "' and customer_name is null "
                + "and customer_email is null and customer_phone is null and notes is null and cancel_reason is null "
                + "and anonymised_at is not null "
                + "and total_pence = 3500 and location_id = 'sheffield' and starts_at = '2027-03-22T10:00:00Z'")).isEqualTo(1);
        assertThat(sql("select count(*) from booking where reference = '" + laterRef + "' and customer_email is not null "
                + "and cancel_reason = 'caller unwell'"))
                .isEqualTo(1);
        assertThat(export(email).findValuesAsText("reference")).containsExactly(laterRef);

        // Idempotency-Key answers: 7 days
        assertThat(sql("select count(*) from idempotency_key")).isGreaterThanOrEqualTo(1);
        assertThat(retention.pruneIdempotencyKeys().block()).isGreaterThanOrEqualTo(1);
        // every key was made at a test-clock time long before the cutoff
        assertThat(sql("select count(*) from idempotency_key")).isZero();
    }
}
