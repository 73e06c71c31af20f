package clinic.notification;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A committed message is sent at once, not at the dispatcher's next poll: with the poll an hour
 * away, the confirmation still arrives within seconds. The long poll needs a context of its own;
 * it gets its own consumer group (it has its own database) so it neither takes partitions from
 * the shared context nor outlives this class.
 */
@TestPropertySource(properties = {
        "clinic.notifications.dispatch.poll-interval=1h",
        "spring.application.name=notification-wakeup-test"})
@DirtiesContext
class DispatchWakeUpTest extends IntegrationTest {

    @Test
    void aNewMessageWakesTheDispatcher() {
        String email = uniqueEmail("eager");
        String reference = "BK-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        var body = fixture(BookingTopics.CONFIRMED, n -> {
            n.put("bookingId", UUID.randomUUID().toString());
            n.put("reference", reference);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n.get("customer")).put("email", email);
        });
        publish(BookingTopics.TOPIC, reference, BookingTopics.CONFIRMED, UUID.randomUUID().toString(), body);

        // awaitMails waits at most 30 s; the next poll is 1 h away.
        assertThat(awaitMails(email, 1)).hasSize(1);
    }
}
