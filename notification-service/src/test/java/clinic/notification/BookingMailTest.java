package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.catalogue.CatalogueTopics;
import jakarta.mail.internet.MimeMessage;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

/**
 * booking.events → customer mail over real SMTP, once per event, with a calendar entry that parses;
 * the clinic's address and phone from the copy catalogue.events keeps.
 */
class BookingMailTest extends IntegrationTest {

    private String publishConfirmed(String email, String name, String startsAt, String endsAt, String eventId) {
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        var body = fixture(BookingTopics.CONFIRMED, n -> {
            n.put("bookingId", UUID.randomUUID().toString());
            n.put("reference", reference);
            n.put("startsAt", startsAt);
            n.put("endsAt", endsAt);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email).put("name", name);
        });
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, eventId, body);
        return reference;
    }

    private static VEvent parseIcs(String ics) throws Exception {
        Calendar cal = new CalendarBuilder().build(new StringReader(ics));
        assertThat(cal.getProductId().getValue()).isNotBlank();
        return (VEvent) cal.getComponent(Component.VEVENT);
    }

    @Test
    void aConfirmedBookingGetsOneMailWithAnIcsInClinicTime() throws Exception {
        String email = uniqueEmail("winter");
        String reference = publishConfirmed(email, "Sam Taylor", "2027-02-10T10:00:00Z", "2027-02-10T11:00:00Z",
                UUID.randomUUID().toString());

        MimeMessage mail = awaitMails(email, 1).get(0);
        assertThat(mail.getSubject()).contains("Sports massage (60 min)").contains("Wednesday 10 February 2027 at 10:00");
        assertThat(header(mail, "X-Clinic-Template")).isEqualTo("booking-confirmed");
        String notificationId = header(mail, "X-Clinic-Notification-Id");
        assertThat(mail.getMessageID()).isEqualTo("<" + notificationId + "@clinic.test>");
        // Sent as the clinic the booking is at, from the configured address.
        assertThat(mail.getFrom()[0].toString()).isEqualTo("Peak Motion Clinic Sheffield <hello@clinic.test>");

        String text = part(mail, "text/plain");
        assertThat(text).contains("Wednesday 10 February 2027 at 10:00")
                .contains("Total to pay: £49.50").contains("Price: £55.00").contains("Discount (FEB10): -£5.50")
                .contains("https://clinic.example/manage.html?ref=" + reference + "&token=mt_3fJk9sQ2vX8pL1aB4cD6eF");
        assertThat(part(mail, "text/html")).contains("Wednesday 10 February 2027 at 10:00");

        VEvent event = parseIcs(part(mail, "text/calendar"));
        assertThat(event.getUid().getValue()).isEqualTo(reference + "@clinic");
        assertThat(event.getStartDate().getDate().toInstant()).isEqualTo(Instant.parse("2027-02-10T10:00:00Z"));
        assertThat(event.getEndDate().getDate().toInstant()).isEqualTo(Instant.parse("2027-02-10T11:00:00Z"));
        assertThat(event.getStartDate().isUtc()).isTrue();
        assertThat(event.getDateStamp()).isNotNull();
        assertThat(event.getSummary().getValue()).isEqualTo("Sports massage (60 min) with Amy Walker");
        // No location.changed.v1 for "sheffield" in this JVM: the event's name stands alone.
        assertThat(event.getLocation().getValue()).isEqualTo("Sheffield");

        // The delivery log shows it SENT; the message content (with the manage token) is gone.
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(notificationsTo(email).get(0).get("status")));
        Map<String, Object> row = notificationsTo(email).get(0);
        assertThat(row.get("id").toString()).isEqualTo(notificationId);
        assertThat(row.get("body_text")).isNull();
        assertThat(row.get("body_html")).isNull();
    }

    @Test
    void afterItsLocationChangedEventAConfirmationCarriesTheClinicsAddressAndPhoneInMailAndCalendar() throws Exception {
        String location = "test-clinic-" + UUID.randomUUID().toString().substring(0, 8);
        // An older state published after the newer one (a replay) must not win.
        String newer = publishLocation(location, "12 Division Street", "Sheffield", "S1 4GF", "+441144960000",
                "2026-12-06T11:00:00Z");
        String older = publishLocation(location, "1 Old Road", "Sheffield", "S2 2AA", "+441144960999",
                "2026-12-06T09:00:00Z");
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(newer) && processed(older));

        String email = uniqueEmail("address");
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED, n -> {
                    n.put("reference", reference).put("locationId", location).put("locationName", "Sheffield");
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));

        MimeMessage mail = awaitMails(email, 1).get(0);
        assertThat(plain(mail)).contains("Where: Sheffield\n"
                + "Address: 12 Division Street, Sheffield S1 4GF\n"
                + "Clinic phone: 0114 496 0000\n"
                + "When: Wednesday 10 February 2027 at 10:00").doesNotContain("Old Road");
        assertThat(part(mail, "text/html")).contains("<td>12 Division Street, Sheffield S1 4GF</td>")
                .contains("<td>0114 496 0000</td>");
        // How to cancel or move: the link, the 24 h rule in plain words, and who to phone after it;
        // signed by the clinic with its address and phone, as is the From.
        assertThat(plain(mail)).contains("To view, move or cancel your booking, visit:\nhttps://clinic.example/manage.html?ref="
                        + reference + "&token=")
                .contains("You can move or cancel online until 24 hours before your appointment starts.\n"
                        + "After that, please phone us on 0114 496 0000.\n")
                .contains("See you soon,\nPeak Motion Clinic Sheffield\n12 Division Street, Sheffield S1 4GF\n0114 496 0000")
                .doesNotContain("The Clinic");
        assertThat(part(mail, "text/html")).contains("until 24 hours before your appointment starts. After that, please phone us on 0114 496 0000.")
                .contains("Peak Motion Clinic Sheffield<br>12 Division Street, Sheffield S1 4GF<br>0114 496 0000");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("Peak Motion Clinic Sheffield <hello@clinic.test>");
        VEvent event = parseIcs(part(mail, "text/calendar"));
        assertThat(event.getLocation().getValue()).isEqualTo("12 Division Street, Sheffield S1 4GF");
        assertThat(event.getDescription().getValue()).isEqualTo("Booking reference " + reference
                + "\nSheffield: 0114 496 0000");

        // A move and a cancellation say where too.
        publish(BookingTopics.TOPIC, reference, BookingTopics.RESCHEDULED, UUID.randomUUID().toString(),
                fixture(BookingTopics.RESCHEDULED, n -> {
                    n.put("reference", reference).put("locationId", location);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));
        publish(BookingTopics.TOPIC, reference, BookingTopics.CANCELLED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CANCELLED, n -> {
                    n.put("reference", reference).put("locationId", location);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));
        List<MimeMessage> mails = awaitMails(email, 3);
        for (String template : List.of("booking-rescheduled", "booking-cancelled")) {
            MimeMessage m = mails.stream().filter(x -> template.equals(header(x, "X-Clinic-Template"))).findFirst()
                    .orElseThrow();
            assertThat(part(m, "text/plain")).as(template).contains("Address: 12 Division Street, Sheffield S1 4GF")
                    .contains("Clinic phone: 0114 496 0000");
        }
        // The cancellation says how to book again: the same clinic and treatment, a click away.
        MimeMessage cancelled = mails.stream().filter(x -> "booking-cancelled".equals(header(x, "X-Clinic-Template")))
                .findFirst().orElseThrow();
        assertThat(plain(cancelled)).contains("Would you like to book again? Choose a new time here:\n"
                + "https://clinic.example/book.html?locationId=" + location + "&treatmentId=sports-massage-60\n")
                .contains("please get in touch on 0114 496 0000.");
        assertThat(part(cancelled, "text/html")).contains("<a href=\"https://clinic.example/book.html?locationId=" + location
                + "&amp;treatmentId=sports-massage-60\">Choose a new time</a>");
        VEvent moved = parseIcs(part(mails.stream().filter(x -> "booking-rescheduled".equals(header(x, "X-Clinic-Template")))
                .findFirst().orElseThrow(), "text/calendar"));
        assertThat(moved.getLocation().getValue()).isEqualTo("12 Division Street, Sheffield S1 4GF");
    }

    @Test
    void aLocationTheCopyDoesNotKnowIsShownByTheNameInTheEvent() throws Exception {
        String email = uniqueEmail("noaddress");
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED, n -> {
                    n.put("reference", reference).put("locationId", "never-announced-" + UUID.randomUUID())
                            .put("locationName", "Hathersage");
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));

        MimeMessage mail = awaitMails(email, 1).get(0);
        assertThat(plain(mail)).contains("Where: Hathersage\nWhen: ")
                .doesNotContain("Address:").doesNotContain("Clinic phone:");
        assertThat(part(mail, "text/html")).doesNotContain("Address").doesNotContain("Clinic phone");
        VEvent event = parseIcs(part(mail, "text/calendar"));
        assertThat(event.getLocation().getValue()).isEqualTo("Hathersage");
        assertThat(event.getDescription().getValue()).isEqualTo("Booking reference " + reference);
    }

    /** A location.changed.v1 from the golden fixture with this address and phone; returns its ce_id. */
    private String publishLocation(String id, String line1, String town, String postcode, String phone,
                                   String changedAt) {
        String eventId = UUID.randomUUID().toString();
        publish(CatalogueTopics.TOPIC, id, CatalogueTopics.LOCATION_CHANGED, eventId,
                fixture(CatalogueTopics.LOCATION_CHANGED, n -> {
                    n.put("id", id).put("phone", phone).put("changedAt", changedAt)
                            .put("address", line1 + ", " + town + " " + postcode);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("postalAddress")).put("line1", line1)
                            .put("town", town).put("postcode", postcode);
                }));
        return eventId;
    }

    /** The plain-text part with its line ends as written (SMTP carries them as CRLF). */
    private static String plain(MimeMessage m) {
        return part(m, "text/plain").replace("\r\n", "\n");
    }

    private boolean processed(String eventId) {
        return Long.valueOf(1).equals(db.sql("select count(*) as n from processed_event where event_id = :id")
                .bind("id", eventId).map(r -> r.get("n", Long.class)).one().block());
    }

    @Test
    void theMailIsSentInTheTraceOfTheEventThatCausedIt() {
        String email = uniqueEmail("traced");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String producerSpan = "00f067aa0ba902b7";
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        var body = fixture(BookingTopics.CONFIRMED, n -> {
            n.put("reference", reference);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
        });
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(), body,
                "00-" + traceId + "-" + producerSpan + "-01");

        awaitMails(email, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(notificationsTo(email).get(0).get("status")));
        Map<String, Object> row = notificationsTo(email).get(0);
        // The row keeps the consumer span's context (same trace, a span of its own) ...
        String consumed = (String) row.get("traceparent");
        assertThat(consumed).startsWith("00-" + traceId + "-").doesNotContain(producerSpan);
        // ... and the send, hours later if need be, continues it: its outcome event is in the same trace.
        String sentEvent = db.sql("select traceparent from outbox_event where event_type = 'notification.sent.v1' "
                        + "and payload like :id")
                .bind("id", "%" + row.get("id") + "%")
                .map(r -> r.get("traceparent", String.class)).one().block();
        assertThat(sentEvent).startsWith("00-" + traceId + "-").isNotEqualTo(consumed);
    }

    @Test
    void aSummerAppointmentIsShownInBritishSummerTime() throws Exception {
        String email = uniqueEmail("summer");
        publishConfirmed(email, "Sam Taylor", "2027-07-14T09:00:00Z", "2027-07-14T10:00:00Z",
                UUID.randomUUID().toString());

        MimeMessage mail = awaitMails(email, 1).get(0);
        assertThat(part(mail, "text/plain")).contains("Wednesday 14 July 2027 at 10:00").contains("until 11:00");
        VEvent event = parseIcs(part(mail, "text/calendar"));
        assertThat(event.getStartDate().getDate().toInstant()).isEqualTo(Instant.parse("2027-07-14T09:00:00Z"));
        assertThat(event.getStartDate().isUtc()).isTrue();
    }

    @Test
    void theSameEventDeliveredTwiceSendsOneMail() {
        String email = uniqueEmail("twice");
        String eventId = UUID.randomUUID().toString();
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        var body = fixture(BookingTopics.CONFIRMED, n -> {
            n.put("reference", reference);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
        });
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, eventId, body);
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, eventId, body);

        awaitMails(email, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mailsTo(email).size() == 1);
        assertThat(notificationsTo(email)).hasSize(1);
    }

    @Test
    void scriptInACustomerNameIsEscapedInTheHtmlPart() {
        String email = uniqueEmail("xss");
        publishConfirmed(email, "<script>alert('x')</script> Sam", "2027-02-10T10:00:00Z", "2027-02-10T11:00:00Z",
                UUID.randomUUID().toString());

        MimeMessage mail = awaitMails(email, 1).get(0);
        String html = part(mail, "text/html");
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Sam");
        // The plain-text part is not HTML: it shows the name as typed.
        assertThat(part(mail, "text/plain")).contains("Hello <script>alert('x')</script> Sam,");
    }

    @Test
    void cancellationAndRescheduleAreMailedToo() throws Exception {
        String email = uniqueEmail("changes");
        String bookingId = UUID.randomUUID().toString();
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.RESCHEDULED, UUID.randomUUID().toString(),
                fixture(BookingTopics.RESCHEDULED, n -> {
                    n.put("bookingId", bookingId).put("reference", reference);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));
        publish(BookingTopics.TOPIC, reference, BookingTopics.CANCELLED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CANCELLED, n -> {
                    n.put("bookingId", bookingId).put("reference", reference).put("startsAt", "2027-02-12T14:00:00Z");
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));

        List<MimeMessage> mails = awaitMails(email, 2);
        MimeMessage moved = mails.stream().filter(m -> "booking-rescheduled".equals(header(m, "X-Clinic-Template")))
                .findFirst().orElseThrow();
        assertThat(part(moved, "text/plain")).contains("New time: Friday 12 February 2027 at 14:00")
                .contains("Previously: Wednesday 10 February 2027 at 10:00");
        VEvent event = parseIcs(part(moved, "text/calendar"));
        assertThat(event.getUid().getValue()).isEqualTo(reference + "@clinic");
        assertThat(event.getStartDate().getDate().toInstant()).isEqualTo(Instant.parse("2027-02-12T14:00:00Z"));
        MimeMessage cancelled = mails.stream().filter(m -> "booking-cancelled".equals(header(m, "X-Clinic-Template")))
                .findFirst().orElseThrow();
        assertThat(part(cancelled, "text/plain")).contains("Friday 12 February 2027 at 14:00").contains(reference);
    }
}
