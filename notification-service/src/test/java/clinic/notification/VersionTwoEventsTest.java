package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.callback.CallbackTopics;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Version 2 events carry ids only (docs/adr/0007): the customer, the caller and the manage link
 * come from their owners (here {@link FakeOwners}) when the message is made; while an owner is
 * away the event waits rather than being dead-lettered; an erased person gets nothing.
 */
class VersionTwoEventsTest extends IntegrationTest {

    @AfterEach
    void ownersBack() {
        FakeOwners.away.set(false);
    }

    private String confirmedV2(String bookingId, String reference, String eventId) {
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED_V2, eventId,
                fixture(BookingTopics.CONFIRMED_V2, n -> {
                    n.put("bookingId", bookingId);
                    n.put("reference", reference);
                    n.put("startsAt", "2027-02-10T10:00:00Z");
                    n.put("endsAt", "2027-02-10T11:00:00Z");
                }));
        return reference;
    }

    private long processed(String eventId) {
        return db.sql("select count(*) from processed_event where event_id = :id").bind("id", eventId)
                .map(r -> r.get(0, Long.class)).one().block();
    }

    private static String reference() {
        return "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    }

    @Test
    void aConfirmationAsksBookingServiceForTheCustomerAndAManageLinkMintedForTheMail() {
        String email = uniqueEmail("v2");
        String bookingId = UUID.randomUUID().toString();
        String reference = reference();
        FakeOwners.booking(bookingId, reference, "Robin Ames", email, "+447700900777");
        int linksBefore = FakeOwners.manageLinks.get();

        confirmedV2(bookingId, reference, UUID.randomUUID().toString());

        MimeMessage mail = awaitMails(email, 1).get(0);
        String text = part(mail, "text/plain");
        assertThat(text).contains("Robin Ames")
                .containsPattern("https://clinic\\.example/manage\\.html\\?ref=" + reference + "&token=mail-token-\\d+");
        assertThat(FakeOwners.manageLinks.get()).isEqualTo(linksBefore + 1);
        assertThat(FakeOwners.authorizations).allMatch(h -> h.startsWith("Bearer "));
        // each call carried a token issued for that owner (client credentials), none was refused
        assertThat(FakeOwners.refused.get()).isZero();
        // The reminder keeps the contact it was given, in this service's own database.
        assertThat(db.sql("select email from booking_reminder where booking_id = :id").bind("id", bookingId)
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo(email);
    }

    @Test
    void whileBookingServiceIsAwayTheEventWaitsAndItsMailGoesOnceItIsBack() {
        String email = uniqueEmail("away");
        String bookingId = UUID.randomUUID().toString();
        String reference = reference();
        FakeOwners.booking(bookingId, reference, "Kim Away", email, "+447700900778");
        double deadBefore = meters.counter("clinic.inbox.dead.lettered", "topic", BookingTopics.TOPIC).count();
        FakeOwners.away.set(true);
        int callsBefore = FakeOwners.calls.get();

        String eventId = UUID.randomUUID().toString();
        confirmedV2(bookingId, reference, eventId);
        // More tries than the inbox's bounded attempts (3 here): it is waiting, not giving up.
        await().atMost(Duration.ofSeconds(30)).until(() -> FakeOwners.calls.get() >= callsBefore + 5);
        assertThat(processed(eventId)).isZero();
        assertThat(notificationsTo(email)).isEmpty();

        FakeOwners.away.set(false);
        assertThat(awaitMails(email, 1)).hasSize(1);
        assertThat(processed(eventId)).isEqualTo(1);
        assertThat(meters.counter("clinic.inbox.dead.lettered", "topic", BookingTopics.TOPIC).count())
                .isEqualTo(deadBefore);
    }

    @Test
    void anErasedCustomerGetsNoMailAndTheirReminderIsCancelled() {
        String email = uniqueEmail("erased");
        String bookingId = UUID.randomUUID().toString();
        String reference = reference();
        FakeOwners.booking(bookingId, reference, "Lee Gone", email, "+447700900779");
        confirmedV2(bookingId, reference, UUID.randomUUID().toString());
        awaitMails(email, 1);

        FakeOwners.erase(bookingId);
        String rescheduled = UUID.randomUUID().toString();
        publish(BookingTopics.TOPIC, reference, BookingTopics.RESCHEDULED_V2, rescheduled,
                fixture(BookingTopics.RESCHEDULED_V2, n -> n.put("bookingId", bookingId).put("reference", reference)));
        String cancelled = UUID.randomUUID().toString();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CANCELLED_V2, cancelled,
                fixture(BookingTopics.CANCELLED_V2, n -> n.put("bookingId", bookingId).put("reference", reference)));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(rescheduled) == 1 && processed(cancelled) == 1);

        assertThat(notificationsTo(email)).extracting(n -> n.get("template")).containsExactly("booking-confirmed");
        assertThat(db.sql("select status from booking_reminder where booking_id = :id").bind("id", bookingId)
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("CANCELLED");
    }

    @Test
    void aCallbackRequestAsksCallbackServiceForTheCallerAndTheirMessage() {
        String email = uniqueEmail("caller");
        String callbackId = UUID.randomUUID().toString();
        FakeOwners.callback(callbackId, "Jo Caller", "+447700900780", email, "Shoulder stiff since June");
        publish(CallbackTopics.TOPIC, callbackId, CallbackTopics.REQUESTED_V2, UUID.randomUUID().toString(),
                fixture(CallbackTopics.REQUESTED_V2, n -> n.put("callbackId", callbackId).put("locationId", "doncaster")));

        // the receipt and, with marketingOptIn (as in the fixture), the newsletter's confirmation
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(email).size() >= 2);
        assertThat(notificationsTo(email)).extracting(n -> n.get("template"))
                .containsExactlyInAnyOrder("callback-received", "newsletter-confirm");
        await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo("doncaster@staff.clinic.example").stream()
                .anyMatch(m -> part(m, "text/plain").contains(callbackId)));
        MimeMessage staff = mailsTo("doncaster@staff.clinic.example").stream()
                .filter(m -> part(m, "text/plain").contains(callbackId)).findFirst().orElseThrow();
        assertThat(part(staff, "text/plain")).contains("Jo Caller", "Shoulder stiff since June");
    }

    @Test
    void aCallbackWhoseCallerWasErasedSendsNothing() {
        String callbackId = UUID.randomUUID().toString();
        FakeOwners.CALLBACKS.put(callbackId, new java.util.HashMap<>(java.util.Map.of("callbackId", callbackId,
                "erased", true)));
        String eventId = UUID.randomUUID().toString();
        publish(CallbackTopics.TOPIC, callbackId, CallbackTopics.REQUESTED_V2, eventId,
                fixture(CallbackTopics.REQUESTED_V2, n -> n.put("callbackId", callbackId)));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(eventId) == 1);
        assertThat(db.sql("select count(*) from notification where source_event_id = :id").bind("id", eventId)
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }
}
