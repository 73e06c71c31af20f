package clinic.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.contracts.booking.BookingTopics;
import clinic.notification.IntegrationTest;
import clinic.notification.SmtpProxy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Booking mails go over kept SMTP connections (issue 22), seen from the server's side of the
 * proxy: far fewer connections than mails, every mail once with its notification's Message-ID; a
 * connection the server drops between two mails costs no failed attempt; a mail the server refuses
 * follows the retry schedule as before, each attempt on a connection that is then closed.
 */
class MailConnectionReuseTest extends IntegrationTest {

    @Test
    void bookingMailsShareAFewConnectionsAndEachArrivesOnceWithItsMessageId() {
        int connectionsBefore = smtpProxy.connections();
        double acceptedBefore = counter("clinic.mail.messages.accepted");
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String email = uniqueEmail("reuse");
            emails.add(email);
            publishBooking(email);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> emails.stream()
                .allMatch(e -> notificationsTo(e).size() == 1 && "SENT".equals(notificationsTo(e).get(0).get("status"))));

        // The dispatcher sends 4 at a time: a connection each, kept between mails (twice that
        // allows for connections the server had closed since they were last used).
        int connections = smtpProxy.connections() - connectionsBefore;
        assertThat(connections).isBetween(1, 8);
        assertThat(counter("clinic.mail.messages.accepted") - acceptedBefore).isGreaterThanOrEqualTo(30);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> emails.stream().allMatch(e -> mailsTo(e).size() == 1));
        for (String email : emails) {
            Map<String, Object> row = notificationsTo(email).get(0);
            MimeMessage mail = mailsTo(email).get(0);
            assertThat(header(mail, "Message-ID")).isEqualTo("<" + row.get("id") + "@clinic.test>");
            assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionTheServerDropsBetweenTwoMailsCostsNoFailedAttempt() {
        String first = uniqueEmail("before-drop");
        publishBooking(first);
        awaitSent(first);
        double droppedBefore = closed("dropped");
        int connectionsBefore = smtpProxy.connections();

        smtpProxy.dropAll();
        String second = uniqueEmail("after-drop");
        publishBooking(second);
        awaitSent(second);

        // The kept connection was found dropped and the mail went at once on a new one.
        assertThat(closed("dropped") - droppedBefore).isGreaterThanOrEqualTo(1);
        assertThat(smtpProxy.connections() - connectionsBefore).isGreaterThanOrEqualTo(1);
        Map<String, Object> row = notificationsTo(second).get(0);
        assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(1);
        assertThat(row.get("last_error")).isNull();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> mailsTo(first).size() == 1 && mailsTo(second).size() == 1);
        assertThat(header(mailsTo(second).get(0), "Message-ID")).isEqualTo("<" + row.get("id") + "@clinic.test>");
    }

    @Test
    void aMailTheServerRefusesFollowsTheRetryScheduleOnAFreshConnectionEachTime() {
        String refused = uniqueEmail(SmtpProxy.REFUSED);
        int refusalsBefore = smtpProxy.refusals();
        double errorsBefore = closed("error");
        publishBooking(refused);

        Map<String, Object> row = awaitFailed(refused);
        assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(8);
        assertThat(row.get("last_error").toString()).contains("550");
        // One RCPT per attempt (never sent again in between), and each attempt's connection closed.
        assertThat(smtpProxy.refusals() - refusalsBefore).isEqualTo(8);
        assertThat(closed("error") - errorsBefore).isGreaterThanOrEqualTo(8);
        assertThat(mailsTo(refused)).isEmpty();

        // The next mail is not held up by it.
        String next = uniqueEmail("after-refusal");
        publishBooking(next);
        awaitSent(next);
        assertThat(awaitMails(next, 1)).hasSize(1);
    }

    private void publishBooking(String email) {
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED, n -> {
                    n.put("bookingId", UUID.randomUUID().toString()).put("reference", reference);
                    ((ObjectNode) n.get("customer")).put("email", email);
                }));
    }

    private void awaitSent(String email) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Map<String, Object>> rows = notificationsTo(email);
            return rows.size() == 1 && "SENT".equals(rows.get(0).get("status"));
        });
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private double closed(String reason) {
        return meters.get("clinic.mail.connections.closed").tag("reason", reason).counter().count();
    }
}
