package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.notification.NotificationTopics;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Known event sequences give known figures. Dates: July 2031 (British Summer Time, so UTC and
 * local days differ near midnight) and March 2033; no other test uses them.
 */
class SummaryTest extends AnalyticsTestBase {
    private static final Instant T0 = Instant.parse("2031-06-01T12:00:00Z");

    @Test
    void aKnownSequenceGivesKnownFigures() {
        String offerId = UUID.randomUUID().toString();
        String quietOfferId = UUID.randomUUID().toString();
        Booking b1 = withPromo(booking(Instant.parse("2031-07-08T09:00:00Z"), "sheffield", "sports-massage-60", 5500),
                "SUMMER31", offerId, 550);
        Booking b2 = booking(Instant.parse("2031-07-09T13:00:00Z"), "doncaster", "sports-massage-30", 3500);
        // 23:30 UTC is 00:30 BST the next day: counts on 11 July.
        Booking b3 = booking(Instant.parse("2031-07-10T23:30:00Z"), "sheffield", "sports-massage-30", 3500);
        Booking b4 = withPromo(booking(Instant.parse("2031-07-12T10:00:00Z"), "rotherham", "physio-assessment", 4000),
                "SUMMER31", offerId, 400);
        Booking b5 = booking(Instant.parse("2031-07-14T10:00:00Z"), "sheffield", "sports-massage-60", 5500);
        Booking b6 = booking(Instant.parse("2031-07-06T10:00:00Z"), "hathersage", "sports-massage-60", 5500);
        Instant b6Moved = Instant.parse("2031-07-13T15:00:00Z");

        offerLaunched(quietOfferId, "QUIET31", T0);
        for (Booking b : List.of(b1, b2, b3, b4, b5, b6)) confirmed(b, T0.plusSeconds(60));
        redeemed(b1, T0.plusSeconds(61));
        redeemed(b4, T0.plusSeconds(61));
        cancelled(b4, T0.plusSeconds(3600));
        released(b4, T0.plusSeconds(3601));
        rescheduled(b6, b6Moved, T0.plusSeconds(7200));

        String c1 = UUID.randomUUID().toString(), c2 = UUID.randomUUID().toString();
        String c3 = UUID.randomUUID().toString(), c4 = UUID.randomUUID().toString();
        Instant r1 = Instant.parse("2031-07-08T08:00:00Z"), r2 = Instant.parse("2031-07-09T12:00:00Z");
        Instant r3 = Instant.parse("2031-07-10T23:30:00Z"), r4 = Instant.parse("2031-07-14T08:00:00Z");
        callbackRequested(c1, r1, "sheffield");
        callbackAttempted(c1, r1, r1.plusSeconds(10 * 60), 1);
        callbackCompleted(c1, r1, r1.plusSeconds(40 * 60));
        callbackRequested(c2, r2, "doncaster");
        callbackAttempted(c2, r2, r2.plusSeconds(30 * 60), 1);
        callbackAttempted(c2, r2, r2.plusSeconds(50 * 60), 2);
        callbackSlaBreached(c2, r2, r2.plusSeconds(2 * 3600));
        callbackRequested(c3, r3, "rotherham");
        callbackRequested(c4, r4, "sheffield");

        notification(NotificationTopics.SENT, UUID.randomUUID().toString(), Instant.parse("2031-07-08T10:00:00Z"));
        notification(NotificationTopics.SENT, UUID.randomUUID().toString(), Instant.parse("2031-07-12T10:00:00Z"));
        notification(NotificationTopics.FAILED, UUID.randomUUID().toString(), Instant.parse("2031-07-09T10:00:00Z"));
        notification(NotificationTopics.SENT, UUID.randomUUID().toString(), Instant.parse("2031-07-20T10:00:00Z"));
        awaitConsumed();

        // b4 is cancelled, b5 is after the period, b6 moved into it.
        List<Booking> counted = List.of(b1, b2, b3, b6.movedTo(b6Moved));
        JsonNode s = summary(LocalDate.parse("2031-07-07"), LocalDate.parse("2031-07-13"));
        assertThat(s.at("/bookings/count").asLong()).isEqualTo(counted.size());
        assertThat(toMap(s.at("/bookings/byLocation"))).isEqualTo(countBy(counted, Booking::locationId))
                .containsEntry("sheffield", 2L);
        assertThat(toMap(s.at("/bookings/byTreatment"))).isEqualTo(countBy(counted, Booking::treatmentId));
        assertThat(s.get("revenuePence").asLong()).isEqualTo(counted.stream().mapToLong(Booking::totalPence).sum())
                .isEqualTo(4950 + 3500 + 3500 + 5500);
        assertThat(s.get("discountPence").asLong()).isEqualTo(b1.discountPence());
        assertThat(s.get("offers")).hasSize(1);
        assertThat(s.at("/offers/0/code").asText()).isEqualTo("SUMMER31");
        assertThat(s.at("/offers/0/redemptions").asLong()).isEqualTo(1);
        assertThat(s.at("/offers/0/discountPence").asLong()).isEqualTo(b1.discountPence());
        assertThat(s.at("/callbacks/requested").asLong()).isEqualTo(3);
        assertThat(s.at("/callbacks/completed").asLong()).isEqualTo(1);
        assertThat(s.at("/callbacks/medianMinutesToFirstAttempt").asDouble()).isEqualTo((10 + 30) / 2.0);
        assertThat(s.at("/callbacks/slaBreaches").asLong()).isEqualTo(1);
        assertThat(s.at("/notifications/sent").asLong()).isEqualTo(2);
        assertThat(s.at("/notifications/failed").asLong()).isEqualTo(1);

        // Local-day boundaries: the 23:30 UTC booking and callback belong to 11 July.
        JsonNode early = summary(LocalDate.parse("2031-07-07"), LocalDate.parse("2031-07-10"));
        assertThat(early.at("/bookings/count").asLong()).isEqualTo(2);
        assertThat(early.at("/callbacks/requested").asLong()).isEqualTo(2);
        JsonNode eleventh = summary(LocalDate.parse("2031-07-11"), LocalDate.parse("2031-07-11"));
        assertThat(eleventh.at("/bookings/count").asLong()).isEqualTo(1);
        assertThat(eleventh.at("/bookings/byLocation/sheffield").asLong()).isEqualTo(1);
        assertThat(eleventh.at("/callbacks/requested").asLong()).isEqualTo(1);
        assertThat(eleventh.at("/callbacks/medianMinutesToFirstAttempt").isNull()).isTrue();
        assertThat(eleventh.get("offers")).isEmpty();

        JsonNode days = getJson("/api/analytics/bookings-per-day?from=2031-07-07&to=2031-07-13");
        Map<String, String> perDay = new TreeMap<>();
        days.forEach(d -> perDay.put(d.get("date").asText(), d.get("count").asLong() + "/" + d.get("revenuePence").asLong()));
        assertThat(perDay).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "2031-07-07", "0/0", "2031-07-08", "1/4950", "2031-07-09", "1/3500", "2031-07-10", "0/0",
                "2031-07-11", "1/3500", "2031-07-12", "0/0", "2031-07-13", "1/5500")));

        JsonNode offer = getJson("/api/analytics/offers/" + offerId);
        assertThat(offer.get("offerId").asText()).isEqualTo(offerId);
        assertThat(offer.get("code").asText()).isEqualTo("SUMMER31");
        assertThat(offer.get("redemptions").asLong()).isEqualTo(1);
        assertThat(offer.get("released").asLong()).isEqualTo(1);
        assertThat(offer.get("discountPence").asLong()).isEqualTo(b1.discountPence());
        assertThat(offer.get("revenuePence").asLong()).isEqualTo(b1.totalPence());

        JsonNode quiet = getJson("/api/analytics/offers/" + quietOfferId);
        assertThat(quiet.get("code").asText()).isEqualTo("QUIET31");
        assertThat(quiet.get("redemptions").asLong()).isZero();
        assertThat(quiet.get("revenuePence").asLong()).isZero();
    }

    @Test
    void aRescheduledBookingMovesDaysAndACancelledOneLeavesRevenue() {
        LocalDate from = LocalDate.parse("2033-03-07"), to = LocalDate.parse("2033-03-11");
        Booking stays = booking(Instant.parse("2033-03-07T10:00:00Z"), "chesterfield", "sports-massage-45", 4500);
        Booking moves = booking(Instant.parse("2033-03-08T10:00:00Z"), "chesterfield", "sports-massage-60", 5500);
        Instant t = Instant.parse("2033-02-01T09:00:00Z");
        confirmed(stays, t);
        confirmed(moves, t);
        awaitConsumed();
        assertThat(day("2033-03-08")).isEqualTo("1/5500");
        assertThat(summary(from, to).get("revenuePence").asLong()).isEqualTo(4500 + 5500);

        rescheduled(moves, Instant.parse("2033-03-10T14:00:00Z"), t.plusSeconds(600));
        awaitConsumed();
        assertThat(day("2033-03-08")).isEqualTo("0/0");
        assertThat(day("2033-03-10")).isEqualTo("1/5500");
        assertThat(summary(from, to).at("/bookings/count").asLong()).isEqualTo(2);

        cancelled(moves.movedTo(Instant.parse("2033-03-10T14:00:00Z")), t.plusSeconds(1200));
        awaitConsumed();
        assertThat(day("2033-03-10")).isEqualTo("0/0");
        JsonNode s = summary(from, to);
        assertThat(s.at("/bookings/count").asLong()).isEqualTo(1);
        assertThat(s.get("revenuePence").asLong()).isEqualTo(4500);
        assertThat(toMap(s.at("/bookings/byTreatment"))).isEqualTo(Map.of("sports-massage-45", 1L));
    }

    private String day(String date) {
        JsonNode d = getJson("/api/analytics/bookings-per-day?from=" + date + "&to=" + date).get(0);
        assertThat(d.get("date").asText()).isEqualTo(date);
        return d.get("count").asLong() + "/" + d.get("revenuePence").asLong();
    }

    static Map<String, Long> toMap(JsonNode object) {
        Map<String, Long> m = new TreeMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    static Map<String, Long> countBy(List<Booking> bookings, Function<Booking, String> key) {
        return new TreeMap<>(bookings.stream().collect(Collectors.groupingBy(key, Collectors.counting())));
    }
}
