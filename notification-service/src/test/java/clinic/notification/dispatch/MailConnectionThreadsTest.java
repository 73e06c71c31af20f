package clinic.notification.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import clinic.notification.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sending mail does not start a thread per message: the SMTP write timeout runs on one shared
 * scheduler (Angus Mail would otherwise create one per connection, seen in the benchmark profile).
 */
class MailConnectionThreadsTest extends IntegrationTest {

    @Test
    void theSmtpWriteTimeoutsRunOnTheSharedScheduler() {
        long scheduledBefore = MailGateway.WRITE_TIMEOUTS.scheduled.get();
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 5; i++) send(emails);
        for (String email : emails) awaitMails(email, 1);

        // Angus Mail scheduled its write timeouts here (several per message), not on executors
        // of its own; and cancelled timeouts do not pile up in the queue.
        assertThat(MailGateway.WRITE_TIMEOUTS.scheduled.get() - scheduledBefore).isGreaterThanOrEqualTo(5);
        assertThat(MailGateway.WRITE_TIMEOUTS.getQueue()).hasSizeLessThan(5);
    }

    private void send(List<String> emails) {
        String email = uniqueEmail("threads");
        emails.add(email);
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(),
                fixture(BookingTopics.CONFIRMED, n -> {
                    n.put("bookingId", UUID.randomUUID().toString());
                    n.put("reference", reference);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
                }));
    }
}
