package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.notification.booking.Reminders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * Erasure on request, notification-service's part: a customer with a confirmed newsletter
 * subscription, a booking whose reminder is still to come, mails sent and a text queued. After
 * {@code privacy.erasure_requested.v1}: the reminder is CANCELLED and never goes (even when due), the
 * queued text is SUPPRESSED, the log keeps its rows without recipient or body, the subscription is
 * gone, other people are untouched, and a redelivery publishes no second completion.
 */
class ErasureTest extends IntegrationTest {
    private static final String PHONE = "+447700900555";

    @Autowired Reminders reminders;

    @AfterEach
    void clockBack() {
        clock.reset();
    }

    private long count(String query, Object... args) {
        var spec = db.sql(query);
        for (int i = 0; i < args.length; i++) spec = spec.bind(i, args[i]);
        return spec.map(r -> ((Number) r.get(0)).longValue()).one().block();
    }

    private double duplicatesSkipped() {
        var counter = meters.find("clinic.inbox.duplicates.skipped").tag("type", PrivacyTopics.ERASURE_REQUESTED).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void remindersAndQueuedMessagesAreCancelledTheLogAnonymisedAndTheSubscriptionDeleted() {
        String email = uniqueEmail("erase");
        String other = uniqueEmail("keep");
        http.post().uri("/api/newsletter/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "consent", true)).exchange().expectStatus().isAccepted();
        db.sql("update subscriber set status = 'CONFIRMED', confirm_token_hash = null, confirmed_at = now() "
                + "where lower(email) = lower(:e)").bind("e", email).then().block();

        Instant start = Instant.parse("2027-04-07T10:00:00Z");
        String bookingId = UUID.randomUUID().toString();
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        FakeOwners.booking(bookingId, reference, "Eve Erased", email, PHONE);
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED_V2, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED_V2, n -> n.put("bookingId", bookingId).put("reference", reference)
                        .put("startsAt", start.toString()).put("endsAt", start.plusSeconds(3600).toString())));
        awaitMails(email, 2); // the newsletter confirmation and the booking confirmation
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from booking_reminder where booking_id = $1 and status = 'SCHEDULED'", bookingId) == 1);
        // a text to the booking's phone still queued, and someone else's
        db.sql("insert into notification (id, source_event_id, source_event_type, template, channel, recipient, status, "
                + "attempts, created_at, next_attempt_at, body_text) values (gen_random_uuid(), 'reminder:q', 'booking.reminder', "
                + "'booking-reminder', 'SMS', '" + PHONE + "', 'PENDING', 0, now(), now() + interval '1 day', 'See you')")
                .then().block();
        db.sql("insert into notification (id, source_event_id, source_event_type, template, channel, recipient, status, "
                + "attempts, created_at, next_attempt_at) values (gen_random_uuid(), 'other:q', 'booking.reminder', "
                + "'booking-reminder', 'EMAIL', '" + other + "', 'PENDING', 0, now(), now() + interval '1 day')")
                .then().block();

        String erasureId = UUID.randomUUID().toString();
        FakeOwners.erasure(erasureId, email);
        String eventId = UUID.randomUUID().toString();
        var body = JSON.createObjectNode().put("erasureId", erasureId).put("requestedAt", "2027-01-20T12:00:00Z");
        publish(PrivacyTopics.TOPIC, erasureId, PrivacyTopics.ERASURE_REQUESTED, eventId, body);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from outbox_event where event_type = $1 and event_key = $2",
                PrivacyTopics.ERASURE_COMPLETED, erasureId) == 1);
        double skipped = duplicatesSkipped();
        publish(PrivacyTopics.TOPIC, erasureId, PrivacyTopics.ERASURE_REQUESTED, eventId, body);

        assertThat(count("select count(*) from booking_reminder where booking_id = $1 and status = 'CANCELLED' "
                + "and customer_name is null and email is null and phone is null", bookingId)).isEqualTo(1);
        assertThat(count("select count(*) from notification where lower(recipient) = lower($1) or recipient = $2",
                email, PHONE)).isZero();
        // (only this class erases anyone in the module's database)
        List<Map<String, Object>> erased = db.sql("select * from notification where recipient = 'erased'")
                .fetch().all().collectList().block();
        assertThat(erased).extracting(r -> r.get("template"))
                .contains("booking-reminder", "newsletter-confirm", "booking-confirmed");
        assertThat(erased).allSatisfy(r -> {
            assertThat(r.get("body_text")).isNull();
            assertThat(r.get("body_html")).isNull();
            assertThat(r.get("subject")).isNull();
        });
        assertThat(erased).filteredOn(r -> "SMS".equals(r.get("channel")))
                .singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("SUPPRESSED"));
        assertThat(count("select count(*) from subscriber where lower(email) = lower($1)", email)).isZero();
        assertThat(count("select count(*) from notification where recipient = $1 and status = 'PENDING'", other))
                .isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where action = 'privacy.erased' and target = $1 "
                + "and details like '%\"subscriptions\":1%'", "erasure/" + erasureId)).isEqualTo(1);
        assertThat(count("select count(*) from audit_entry where details::text ilike $1", "%" + email + "%")).isZero();

        // the day before: the cancelled reminder does not go
        clock.setTo(start.minus(Duration.ofHours(24)).plusSeconds(1));
        reminders.sendDue().block();
        assertThat(count("select count(*) from notification where source_event_id like $1", "reminder:" + bookingId + ":%"))
                .isZero();

        // the redelivery was skipped by the inbox: still one completion
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicatesSkipped() > skipped);
        assertThat(count("select count(*) from outbox_event where event_type = $1 and event_key = $2",
                PrivacyTopics.ERASURE_COMPLETED, erasureId)).isEqualTo(1);
    }
}
