package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.notification.NotificationTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Redelivered events count once, and the order events arrive in (across topics, and late events
 * within a topic) does not change the figures. Dates: 2034 and 2035, used by no other test.
 */
class RedeliveryAndOrderTest extends AnalyticsTestBase {

    /** The same small world of events, placed in the week starting {@code monday}. */
    private record World(LocalDate monday, String offerId, Booking kept, Booking promo, Booking cancelled,
                         Booking moved, Instant movedTo, String cb1, String cb2, Instant r1, Instant r2,
                         String n1, String n2) {
        static World in(LocalDate monday) {
            Instant d = monday.atTime(10, 0).atZone(java.time.ZoneId.of("Europe/London")).toInstant();
            String offerId = UUID.randomUUID().toString();
            Duration day = Duration.ofDays(1);
            return new World(monday, offerId,
                    booking(d, "sheffield", "sports-massage-60", 5500),
                    withPromo(booking(d.plus(day), "doncaster", "sports-massage-60", 5500), "ORDER", offerId, 550),
                    withPromo(booking(d.plus(day.multipliedBy(2)), "doncaster", "sports-massage-30", 3500), "ORDER",
                            offerId, 350),
                    booking(d.minus(day.multipliedBy(3)), "rotherham", "sports-massage-45", 4500),
                    d.plus(day.multipliedBy(4)),
                    UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    d.minus(Duration.ofHours(1)), d.plus(day),
                    UUID.randomUUID().toString(), UUID.randomUUID().toString());
        }

        LocalDate sunday() {
            return monday.plusDays(6);
        }

        Instant at(int minutes) {
            return monday.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().minus(Duration.ofDays(20))
                    .plus(Duration.ofMinutes(minutes));
        }
    }

    /** Every event of the world, each in its natural order; returns them for redelivery. */
    private List<Sent> publishInOrder(World w) {
        List<Sent> sent = new ArrayList<>();
        sent.add(confirmed(w.kept(), w.at(1)));
        sent.add(confirmed(w.promo(), w.at(2)));
        sent.add(redeemed(w.promo(), w.at(3)));
        sent.add(confirmed(w.cancelled(), w.at(4)));
        sent.add(redeemed(w.cancelled(), w.at(5)));
        sent.add(cancelled(w.cancelled(), w.at(6)));
        sent.add(released(w.cancelled(), w.at(7)));
        sent.add(confirmed(w.moved(), w.at(8)));
        sent.add(rescheduled(w.moved(), w.movedTo(), w.at(9)));
        sent.add(callbackRequested(w.cb1(), w.r1(), "sheffield"));
        sent.add(callbackAttempted(w.cb1(), w.r1(), w.r1().plusSeconds(12 * 60), 1));
        sent.add(callbackCompleted(w.cb1(), w.r1(), w.r1().plusSeconds(20 * 60)));
        sent.add(callbackRequested(w.cb2(), w.r2(), "doncaster"));
        sent.add(callbackAttempted(w.cb2(), w.r2(), w.r2().plusSeconds(3 * 60), 1));
        sent.add(callbackSlaBreached(w.cb2(), w.r2(), w.r2().plusSeconds(7200)));
        sent.add(notification(NotificationTopics.SENT, w.n1(), w.r1()));
        sent.add(notification(NotificationTopics.FAILED, w.n2(), w.r2()));
        return sent;
    }

    private void assertFiguresOf(World w, JsonNode s) {
        // kept + promo + moved (moved into the week); cancelled is out.
        assertThat(s.at("/bookings/count").asLong()).isEqualTo(3);
        assertThat(s.at("/bookings/byLocation/sheffield").asLong()).isEqualTo(1);
        assertThat(s.at("/bookings/byLocation/doncaster").asLong()).isEqualTo(1);
        assertThat(s.at("/bookings/byLocation/rotherham").asLong()).isEqualTo(1);
        assertThat(s.get("revenuePence").asLong())
                .isEqualTo(w.kept().totalPence() + w.promo().totalPence() + w.moved().totalPence());
        assertThat(s.get("discountPence").asLong()).isEqualTo(w.promo().discountPence());
        assertThat(s.get("offers")).hasSize(1);
        assertThat(s.at("/offers/0/code").asText()).isEqualTo("ORDER");
        assertThat(s.at("/offers/0/redemptions").asLong()).isEqualTo(1);
        assertThat(s.at("/offers/0/discountPence").asLong()).isEqualTo(w.promo().discountPence());
        assertThat(s.at("/callbacks/requested").asLong()).isEqualTo(2);
        assertThat(s.at("/callbacks/completed").asLong()).isEqualTo(1);
        assertThat(s.at("/callbacks/medianMinutesToFirstAttempt").asDouble()).isEqualTo((12 + 3) / 2.0);
        assertThat(s.at("/callbacks/slaBreaches").asLong()).isEqualTo(1);
        assertThat(s.at("/notifications/sent").asLong()).isEqualTo(1);
        assertThat(s.at("/notifications/failed").asLong()).isEqualTo(1);
    }

    @Test
    void redeliveredEventsCountOnce() {
        World w = World.in(LocalDate.parse("2034-05-08"));
        List<Sent> sent = publishInOrder(w);
        awaitConsumed();
        JsonNode first = summary(w.monday(), w.sunday());
        assertFiguresOf(w, first);

        // Every event again, twice, same ce_id: as after a relay crash or a consumer rebalance.
        for (int i = 0; i < 2; i++) sent.forEach(this::send);
        awaitConsumed();
        JsonNode again = summary(w.monday(), w.sunday());
        assertThat(again).isEqualTo(first);
        assertFiguresOf(w, again);
        JsonNode offer = getJson("/api/analytics/offers/" + w.offerId());
        assertThat(offer.get("redemptions").asLong()).isEqualTo(1);
        assertThat(offer.get("released").asLong()).isEqualTo(1);
    }

    @Test
    void outOfOrderDeliveryGivesTheSameFiguresAsInOrder() {
        World inOrder = World.in(LocalDate.parse("2035-05-07"));
        publishInOrder(inOrder);
        awaitConsumed();

        World w = World.in(LocalDate.parse("2035-09-03"));
        // Phase 1: offer-service's and the later callback events land before anything they refer to.
        redeemed(w.promo(), w.at(3));
        released(w.cancelled(), w.at(7));
        redeemed(w.cancelled(), w.at(5));
        callbackCompleted(w.cb1(), w.r1(), w.r1().plusSeconds(20 * 60));
        callbackSlaBreached(w.cb2(), w.r2(), w.r2().plusSeconds(7200));
        callbackAttempted(w.cb1(), w.r1(), w.r1().plusSeconds(12 * 60), 1);
        notification(NotificationTopics.FAILED, w.n2(), w.r2());
        awaitConsumed();
        JsonNode partial = summary(w.monday(), w.sunday());
        assertThat(partial.at("/bookings/count").asLong()).isZero();
        assertThat(partial.get("offers")).isEmpty();
        // Callbacks already count: every callback event carries requestedAt.
        assertThat(partial.at("/callbacks/requested").asLong()).isEqualTo(2);

        // Phase 2: the bookings, each booking's later events first (a late, older event must not win).
        cancelled(w.cancelled(), w.at(6));
        confirmed(w.cancelled(), w.at(4));
        rescheduled(w.moved(), w.movedTo(), w.at(9));
        confirmed(w.moved(), w.at(8));
        confirmed(w.promo(), w.at(2));
        confirmed(w.kept(), w.at(1));
        callbackAttempted(w.cb2(), w.r2(), w.r2().plusSeconds(3 * 60), 1);
        callbackRequested(w.cb2(), w.r2(), "doncaster");
        callbackRequested(w.cb1(), w.r1(), "sheffield");
        notification(NotificationTopics.SENT, w.n1(), w.r1());
        awaitConsumed();

        JsonNode expected = summary(inOrder.monday(), inOrder.sunday());
        JsonNode actual = summary(w.monday(), w.sunday());
        assertFiguresOf(inOrder, expected);
        assertFiguresOf(w, actual);
        assertThat(actual).isEqualTo(expected);
        ObjectNode offerInOrder = (ObjectNode) getJson("/api/analytics/offers/" + inOrder.offerId());
        ObjectNode offerShuffled = (ObjectNode) getJson("/api/analytics/offers/" + w.offerId());
        offerInOrder.remove("offerId");
        offerShuffled.remove("offerId");
        assertThat(offerShuffled).isEqualTo(offerInOrder);
        assertThat(offerShuffled.get("revenuePence").asLong()).isEqualTo(w.promo().totalPence());
    }
}
