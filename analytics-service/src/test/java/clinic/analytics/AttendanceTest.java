package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * booking.attended.v1 / booking.no_show.v1 (read from their golden fixtures) counted in the summary:
 * the latest recorded status of a booking stands whatever the delivery order, a cancelled booking
 * counts nowhere, redeliveries count once, and a rebuild gives the same figures. The bookings
 * themselves come as booking.*.v1 (an old topic) or as booking.*.v2, which booking-service publishes
 * now (docs/adr/0007): the same figures either way. Dates: May 2037 (v1) and May 2038 (v2).
 */
class AttendanceTest extends AnalyticsTestBase {
    private static final LocalDate FROM = LocalDate.parse("2037-05-04");
    private static final LocalDate TO = LocalDate.parse("2037-05-10");

    @AfterEach
    void backToV1() {
        v2 = false;
    }

    private Sent attendance(String type, Booking b, Instant recordedAt) {
        ObjectNode n = fixture(type);
        n.put("bookingId", b.bookingId());
        n.put("reference", b.reference());
        n.put("locationId", b.locationId());
        n.put("treatmentId", b.treatmentId());
        n.put("startsAt", b.startsAt().toString());
        n.put("recordedAt", recordedAt.toString());
        return publish(BookingTopics.TOPIC, b.reference(), type, recordedAt, n);
    }

    /** The week's story in {@code year}: five bookings, corrections out of order, a cancellation, a redelivery. */
    private void tell(int year) {
        Instant t = Instant.parse(year + "-04-01T09:00:00Z");
        Booking a = booking(Instant.parse(year + "-05-04T09:00:00Z"), "sheffield", "sports-massage-60", 5500);
        Booking b = booking(Instant.parse(year + "-05-05T09:00:00Z"), "sheffield", "sports-massage-30", 3500);
        Booking c = booking(Instant.parse(year + "-05-06T09:00:00Z"), "doncaster", "sports-massage-45", 4500);
        Booking d = booking(Instant.parse(year + "-05-07T09:00:00Z"), "doncaster", "sports-massage-45", 4500);
        Booking e = booking(Instant.parse(year + "-05-08T09:00:00Z"), "rotherham", "sports-massage-45", 4500);
        for (Booking x : new Booking[] {a, b, c, d, e}) confirmed(x, t);
        Sent aNoShow = attendance(BookingTopics.NO_SHOW, a, a.startsAt().plusSeconds(900));
        // b: marked attended, then corrected to no-show.
        attendance(BookingTopics.ATTENDED, b, b.startsAt().plusSeconds(600));
        attendance(BookingTopics.NO_SHOW, b, b.startsAt().plusSeconds(1200));
        // c: the correction to attended arrives before the older no-show it corrects: attended stands.
        attendance(BookingTopics.ATTENDED, c, c.startsAt().plusSeconds(1200));
        attendance(BookingTopics.NO_SHOW, c, c.startsAt().plusSeconds(600));
        // d: a no-show of a booking cancelled afterwards counts nowhere.
        attendance(BookingTopics.NO_SHOW, d, d.startsAt().plusSeconds(600));
        cancelled(d, d.startsAt().plusSeconds(3600));
        attendance(BookingTopics.ATTENDED, e, e.startsAt().plusSeconds(300));
        send(aNoShow); // a redelivery
        awaitConsumed();
    }

    @Test
    void attendedAndNoShowsAreCountedByLatestRecordAndSurviveARebuild() {
        tell(2037);
        JsonNode live = summary(FROM, TO);
        assertThat(live.at("/bookings/count").asLong()).isEqualTo(4);
        assertThat(live.at("/bookings/attended").asLong()).isEqualTo(2);
        assertThat(live.at("/bookings/noShows").asLong()).isEqualTo(2);
        assertThat(live.at("/bookings/noShowsByLocation").toString()).isEqualTo("{\"sheffield\":2}");
        assertThat(summary(LocalDate.parse("2037-05-06"), LocalDate.parse("2037-05-06")).at("/bookings/noShows").asLong())
                .isZero();

        web.mutate().responseTimeout(Duration.ofMinutes(3)).build()
                .post().uri("/api/admin/analytics/rebuild").headers(h -> h.setBearerAuth(token("ADMIN")))
                .exchange().expectStatus().isOk();
        assertThat(summary(FROM, TO)).isEqualTo(live);
    }

    @Test
    void bookingsToldInVersionTwoGiveTheSameAttendanceFigures() {
        v2 = true;
        tell(2038);
        JsonNode live = summary(LocalDate.parse("2038-05-04"), LocalDate.parse("2038-05-10"));
        assertThat(live.at("/bookings/count").asLong()).isEqualTo(4);
        assertThat(live.at("/bookings/attended").asLong()).isEqualTo(2);
        assertThat(live.at("/bookings/noShows").asLong()).isEqualTo(2);
        assertThat(live.at("/bookings/noShowsByLocation").toString()).isEqualTo("{\"sheffield\":2}");
    }
}
