package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.notification.NotificationTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 25: figures by the day things happened beside those by appointment day. Bookings made and
 * cancellations count on the (Europe/London) day of their confirmation and cancellation, results
 * come per treatment and per promo code, newsletter sign-ups per confirmation; redeliveries and
 * events in a shuffled order change nothing. Dates: March 2038, used by no other test.
 */
class DayFiguresTest extends AnalyticsTestBase {
    static final LocalDate FROM = LocalDate.parse("2038-03-08");
    static final LocalDate TO = LocalDate.parse("2038-03-14");

    @Test
    void bookingsMadeCancellationsTreatmentsOffersAndSignUpsCountByTheDayTheyHappened() {
        String spring = UUID.randomUUID().toString(), late = UUID.randomUUID().toString();
        // Made in the period for an appointment after it, with a code used by nothing else.
        Booking b1 = withPromo(booking(Instant.parse("2038-04-20T10:00:00Z"), "sheffield", "sports-massage-60", 5500),
                "LATE38", late, 1100);
        // Made and seen in the period; moved within it (the day it was made stays).
        Booking b2 = booking(Instant.parse("2038-03-12T10:00:00Z"), "doncaster", "sports-massage-30", 3500);
        // Made before the period, appointment in it, cancelled in it.
        Booking b3 = withPromo(booking(Instant.parse("2038-03-11T10:00:00Z"), "sheffield", "sports-massage-60", 5500),
                "SPRING38", spring, 550);
        // Made in the period, cancelled after it: made, "cancelled since", but no cancellation of the period.
        Booking b4 = booking(Instant.parse("2038-03-13T10:00:00Z"), "rotherham", "physio-assessment", 4000);
        // 23:30 UTC on 7 March is 23:30 GMT: made the day before the period.
        Booking b5 = booking(Instant.parse("2038-05-02T10:00:00Z"), "sheffield", "sports-massage-30", 3500);
        Booking b6 = withPromo(booking(Instant.parse("2038-03-13T15:00:00Z"), "hathersage", "sports-massage-60", 5500),
                "SPRING38", spring, 550);

        List<Sent> sent = new ArrayList<>();
        sent.add(confirmed(b1, Instant.parse("2038-03-09T10:00:00Z")));
        sent.add(redeemed(b1, Instant.parse("2038-03-09T10:00:01Z")));
        sent.add(confirmed(b2, Instant.parse("2038-03-10T10:00:00Z")));
        sent.add(rescheduled(b2, Instant.parse("2038-03-13T09:00:00Z"), Instant.parse("2038-03-11T09:00:00Z")));
        // The cancellation published before the confirmation it follows: the same rows either way.
        sent.add(cancelled(b3, Instant.parse("2038-03-13T08:00:00Z")));
        sent.add(confirmed(b3, Instant.parse("2038-02-20T10:00:00Z")));
        sent.add(redeemed(b3, Instant.parse("2038-02-20T10:00:01Z")));
        sent.add(released(b3, Instant.parse("2038-03-13T08:00:01Z")));
        sent.add(confirmed(b4, Instant.parse("2038-03-11T10:00:00Z")));
        sent.add(cancelled(b4, Instant.parse("2038-03-16T10:00:00Z")));
        sent.add(confirmed(b5, Instant.parse("2038-03-07T23:30:00Z")));
        sent.add(confirmed(b6, Instant.parse("2038-03-12T10:00:00Z")));
        sent.add(redeemed(b6, Instant.parse("2038-03-12T10:00:01Z")));

        String s1 = UUID.randomUUID().toString(), s2 = UUID.randomUUID().toString(), s3 = UUID.randomUUID().toString();
        sent.add(signUp(s1, Instant.parse("2038-03-09T12:00:00Z")));
        sent.add(signUp(s1, Instant.parse("2038-03-12T12:00:00Z"))); // unsubscribed, then confirmed again
        sent.add(signUp(s2, Instant.parse("2038-03-14T23:59:00Z")));
        sent.add(signUp(s3, Instant.parse("2038-03-15T00:00:00Z"))); // the next period
        sent.forEach(this::send); // every event delivered twice
        awaitConsumed();

        JsonNode s = summary(FROM, TO);
        // By appointment date: b2 (moved to the 13th) and b6; b3 and b4 are cancelled, b1 and b5 later.
        assertThat(s.at("/bookings/count").asLong()).isEqualTo(2);
        assertThat(s.get("revenuePence").asLong()).isEqualTo(b2.totalPence() + b6.totalPence()).isEqualTo(3500 + 4950);
        // By the day they were made: b1, b2, b4, b6 (b3 in February, b5 on 7 March); b4 cancelled since.
        assertThat(s.at("/bookingsMade/count").asLong()).isEqualTo(4);
        assertThat(s.at("/bookingsMade/cancelledSince").asLong()).isEqualTo(1);
        // Cancelled in the period: b3 only (b4's cancellation is on the 16th).
        assertThat(s.at("/cancellations/count").asLong()).isEqualTo(1);

        assertThat(s.get("treatments")).hasSize(3);
        assertTreatment(s, 0, "physio-assessment", 0, 0, 1, 0);
        assertTreatment(s, 1, "sports-massage-30", 1, 3500, 1, 0);
        assertTreatment(s, 2, "sports-massage-60", 1, 4950, 2, 1);

        // Per code, ordered by code: LATE38 made a booking for April (no redemption in the period);
        // SPRING38's standing redemption of the period is b6 (b3's was released).
        assertThat(s.get("offers")).hasSize(2);
        assertOffer(s, 0, "LATE38", 0, 0, 0, 1);
        assertOffer(s, 1, "SPRING38", 1, 550, 4950, 1);

        assertThat(s.at("/newsletter/signUps").asLong()).isEqualTo(3);

        // The week before, as the page asks for it to compare: only b5 was made then.
        JsonNode before = summary(FROM.minusDays(7), TO.minusDays(7));
        assertThat(before.at("/bookingsMade/count").asLong()).isEqualTo(1);
        assertThat(before.at("/cancellations/count").asLong()).isZero();
        assertThat(before.at("/newsletter/signUps").asLong()).isZero();
        JsonNode after = summary(TO.plusDays(1), TO.plusDays(7));
        assertThat(after.at("/cancellations/count").asLong()).isEqualTo(1);
        assertThat(after.at("/newsletter/signUps").asLong()).isEqualTo(1);
        assertThat(after.at("/bookingsMade/count").asLong()).isZero();
    }

    /**
     * A later version of the booking events without personal data (issue 20's {@code *.v2}) carries
     * the same ids and times: the days a booking was made and cancelled are read from either.
     */
    @Test
    void theDaysAreReadFromAnyVersionOfTheBookingEvents() {
        Booking b = booking(Instant.parse("2038-06-20T10:00:00Z"), "sheffield", "sports-massage-30", 3500);
        ObjectNode v2 = fixture(BookingTopics.CONFIRMED);
        v2.remove(List.of("customer", "manageToken"));
        v2.put("reference", b.reference());
        v2.put("bookingId", b.bookingId());
        v2.put("startsAt", b.startsAt().toString());
        v2.put("treatmentId", b.treatmentId());
        v2.put("confirmedAt", "2038-06-01T10:00:00Z");
        publish(BookingTopics.TOPIC, b.reference(), "booking.confirmed.v2", Instant.parse("2038-06-01T10:00:00Z"), v2);
        ObjectNode cancel = fixture(BookingTopics.CANCELLED);
        cancel.remove("customer");
        cancel.put("reference", b.reference());
        cancel.put("bookingId", b.bookingId());
        cancel.put("startsAt", b.startsAt().toString());
        cancel.put("treatmentId", b.treatmentId());
        cancel.put("cancelledAt", "2038-06-02T10:00:00Z");
        publish(BookingTopics.TOPIC, b.reference(), "booking.cancelled.v2", Instant.parse("2038-06-02T10:00:00Z"), cancel);
        awaitConsumed();

        JsonNode s = summary(LocalDate.parse("2038-06-01"), LocalDate.parse("2038-06-02"));
        assertThat(s.at("/bookingsMade/count").asLong()).isEqualTo(1);
        assertThat(s.at("/bookingsMade/cancelledSince").asLong()).isEqualTo(1);
        assertThat(s.at("/cancellations/count").asLong()).isEqualTo(1);
        assertThat(s.at("/treatments/0/treatmentId").asText()).isEqualTo("sports-massage-30");
    }

    private Sent signUp(String subscriptionId, Instant at) {
        ObjectNode n = fixture(NotificationTopics.NEWSLETTER_CONFIRMED);
        n.put("subscriptionId", subscriptionId);
        n.put("confirmedAt", at.toString());
        return publish(NotificationTopics.TOPIC, subscriptionId, NotificationTopics.NEWSLETTER_CONFIRMED, at, n);
    }

    private static void assertTreatment(JsonNode s, int i, String id, long bookings, long revenue, long made,
                                        long cancellations) {
        JsonNode t = s.at("/treatments/" + i);
        assertThat(t.get("treatmentId").asText()).isEqualTo(id);
        assertThat(t.get("bookings").asLong()).as("%s bookings", id).isEqualTo(bookings);
        assertThat(t.get("revenuePence").asLong()).as("%s revenue", id).isEqualTo(revenue);
        assertThat(t.get("bookingsMade").asLong()).as("%s made", id).isEqualTo(made);
        assertThat(t.get("cancellations").asLong()).as("%s cancellations", id).isEqualTo(cancellations);
    }

    private static void assertOffer(JsonNode s, int i, String code, long redemptions, long discount, long revenue,
                                    long made) {
        JsonNode o = s.at("/offers/" + i);
        assertThat(o.get("code").asText()).isEqualTo(code);
        assertThat(o.get("redemptions").asLong()).as("%s redemptions", code).isEqualTo(redemptions);
        assertThat(o.get("discountPence").asLong()).as("%s discount", code).isEqualTo(discount);
        assertThat(o.get("revenuePence").asLong()).as("%s revenue", code).isEqualTo(revenue);
        assertThat(o.get("bookingsMade").asLong()).as("%s made", code).isEqualTo(made);
    }
}
