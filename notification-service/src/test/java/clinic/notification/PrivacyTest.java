package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import clinic.kit.inbox.ProcessedEventRetention;
import clinic.notification.privacy.Retention;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * notification-service's part of a subject access export, and its retention (notification log
 * 12 months, unconfirmed newsletter sign-ups 7 days, processed-event records 7 days) with a
 * controlled clock.
 */
class PrivacyTest extends IntegrationTest {
    @Autowired Retention retention;
    @Autowired ProcessedEventRetention processed;

    @AfterEach
    void clockBack() {
        clock.reset();
    }

    private JsonNode export(String email) {
        return http.get().uri(b -> b.path("/api/admin/privacy/export").queryParam("email", "{e}").build(Map.of("e", email)))
                .header("Authorization", "Bearer " + token("ADMIN")).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void subscribe(String email) {
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "consent", true)).exchange().expectStatus().isAccepted();
    }

    @Test
    void theExportHasTheSubscriptionAndEveryMessageToTheAddressOrItsBookingsPhone() {
        String email = uniqueEmail("export");
        subscribe(email.toUpperCase());
        String bookingId = UUID.randomUUID().toString();
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        FakeOwners.booking(bookingId, reference, "Ex Port", email, "+447700900781");
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED_V2, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED_V2, n -> n.put("bookingId", bookingId).put("reference", reference)));
        awaitMails(email, 2);
        // a text to the phone the booking gave, as a reminder would send
        db.sql("insert into notification (id, source_event_id, source_event_type, template, channel, recipient, status, "
                        + "attempts, created_at) values (gen_random_uuid(), 'reminder:x', 'booking.reminder', "
                        + "'booking-reminder', 'SMS', '+447700900781', 'SENT', 1, now())").then().block();

        JsonNode got = export(email);
        assertThat(got.at("/newsletter/status").asText()).isEqualTo("PENDING");
        assertThat(got.at("/newsletter/consentSource").asText()).isEqualTo("web");
        assertThat(got.get("notifications").findValuesAsText("template"))
                .containsExactlyInAnyOrder("newsletter-confirm", "booking-confirmed", "booking-reminder");
        assertThat(export(uniqueEmail("nobody")).get("notifications")).isEmpty();
        http.get().uri("/api/admin/privacy/export?email=" + email).header("Authorization", "Bearer " + token("STAFF"))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void oldLogRowsUnconfirmedSignUpsAndProcessedEventRecordsGoAfterTheirPeriods() {
        String confirmedLater = uniqueEmail("kept");
        String neverConfirmed = uniqueEmail("dropped");
        subscribe(neverConfirmed);
        subscribe(confirmedLater);
        db.sql("update subscriber set status = 'CONFIRMED', confirm_token_hash = null, confirmed_at = now() "
                + "where lower(email) = lower(:e)").bind("e", confirmedLater).then().block();
        awaitMails(neverConfirmed, 1);
        await().until(() -> "SENT".equals(notificationsTo(neverConfirmed).get(0).get("status")));

        clock.setTo(Instant.now().plus(Duration.ofDays(8)));
        assertThat(retention.dropUnconfirmedSignUps().block()).isGreaterThanOrEqualTo(1);
        assertThat(db.sql("select count(*) from subscriber where lower(email) = lower(:e)").bind("e", neverConfirmed)
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
        assertThat(db.sql("select count(*) from subscriber where lower(email) = lower(:e)").bind("e", confirmedLater)
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
        assertThat(processed.prune().block()).isGreaterThanOrEqualTo(1);
        assertThat(db.sql("select count(*) from processed_event where processed_at < now() - interval '1 minute'")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();

        // the log: not yet at 8 days, gone after 12 months
        assertThat(notificationsTo(neverConfirmed)).hasSize(1);
        retention.pruneLog().block();
        assertThat(notificationsTo(neverConfirmed)).hasSize(1);
        clock.setTo(Instant.now().plus(Duration.ofDays(366)));
        assertThat(retention.pruneLog().block()).isGreaterThanOrEqualTo(1);
        assertThat(notificationsTo(neverConfirmed)).isEmpty();
    }

    private static org.awaitility.core.ConditionFactory await() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30));
    }
}
