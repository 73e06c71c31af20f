package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.booking.BookingTopics;
import clinic.contracts.notification.NotificationTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A rebuild from the beginning of every topic gives the same read models as live consumption,
 * and live consumption carries on afterwards. Dates: 2036, used by no other test; the whole-range
 * comparison also covers whatever the other test classes left in the topics.
 */
class RebuildTest extends AnalyticsTestBase {
    private static final LocalDate EVER_FROM = LocalDate.parse("2000-01-01");
    private static final LocalDate EVER_TO = LocalDate.parse("2099-12-31");
    private static final LocalDate FROM = LocalDate.parse("2036-04-06");
    private static final LocalDate TO = LocalDate.parse("2036-04-12");
    private static final LocalDate MADE_DAY = LocalDate.parse("2036-03-01");

    @Autowired DatabaseClient db;

    @Test
    void rebuildEqualsLiveAndLiveConsumptionResumes() {
        String offerId = UUID.randomUUID().toString();
        Instant t = Instant.parse("2036-03-01T09:00:00Z");
        Booking a = withPromo(booking(Instant.parse("2036-04-07T09:00:00Z"), "sheffield", "sports-massage-60", 5500),
                "REBUILD36", offerId, 550);
        Booking b = booking(Instant.parse("2036-04-08T09:00:00Z"), "hathersage", "sports-massage-30", 3500);
        Booking c = booking(Instant.parse("2036-04-09T09:00:00Z"), "doncaster", "sports-massage-45", 4500);
        offerLaunched(offerId, "REBUILD36", t);
        List<Sent> sent = List.of(confirmed(a, t), redeemed(a, t.plusSeconds(1)), confirmed(b, t), confirmed(c, t),
                cancelled(c, t.plusSeconds(60)), rescheduled(b, Instant.parse("2036-04-11T13:00:00Z"), t.plusSeconds(90)));
        String cb = UUID.randomUUID().toString();
        Instant r = Instant.parse("2036-04-07T08:00:00Z");
        callbackRequested(cb, r, "sheffield");
        callbackAttempted(cb, r, r.plusSeconds(25 * 60), 1);
        callbackCompleted(cb, r, r.plusSeconds(30 * 60));
        notification(NotificationTopics.SENT, UUID.randomUUID().toString(), r);
        ObjectNode signUp = fixture(NotificationTopics.NEWSLETTER_CONFIRMED);
        String subscription = UUID.randomUUID().toString();
        signUp.put("subscriptionId", subscription);
        signUp.put("confirmedAt", t.toString());
        publish(NotificationTopics.TOPIC, subscription, NotificationTopics.NEWSLETTER_CONFIRMED, t, signUp);
        sent.forEach(this::send); // redeliveries, skipped live and in the replay alike
        // An event that can never be applied: dead-lettered live, left out by the replay.
        ObjectNode poison = fixture(BookingTopics.CONFIRMED);
        poison.remove("startsAt");
        poison.put("reference", "BK-POISON-" + UUID.randomUUID());
        publish(BookingTopics.TOPIC, poison.get("reference").asText(), BookingTopics.CONFIRMED, t, poison);
        awaitConsumed();

        JsonNode everLive = summary(EVER_FROM, EVER_TO);
        JsonNode weekLive = summary(FROM, TO);
        JsonNode daysLive = getJson("/api/analytics/bookings-per-day?from=" + FROM + "&to=" + TO);
        JsonNode offerLive = getJson("/api/analytics/offers/" + offerId);
        // Issue 25's figures by the day things happened: the three bookings were made (and c cancelled) on 1 March.
        JsonNode madeDayLive = summary(MADE_DAY, MADE_DAY);
        List<String> processedLive = processedEvents();
        assertThat(madeDayLive.at("/bookingsMade/count").asLong()).isEqualTo(3);
        assertThat(madeDayLive.at("/bookingsMade/cancelledSince").asLong()).isEqualTo(1);
        assertThat(madeDayLive.at("/cancellations/count").asLong()).isEqualTo(1);
        assertThat(madeDayLive.at("/newsletter/signUps").asLong()).isEqualTo(1);
        assertThat(madeDayLive.at("/offers/0/bookingsMade").asLong()).isEqualTo(1);
        assertThat(weekLive.at("/treatments")).hasSize(2);
        assertThat(weekLive.at("/bookings/count").asLong()).isEqualTo(2);
        assertThat(weekLive.get("revenuePence").asLong()).isEqualTo(a.totalPence() + b.totalPence());

        // A rebuild answers when it is done; on a busy machine that is longer than the client's default 5 s.
        JsonNode result = web.mutate().responseTimeout(Duration.ofMinutes(3)).build()
                .post().uri("/api/admin/analytics/rebuild")
                .headers(h -> h.setBearerAuth(token("ADMIN")))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(result.get("eventsApplied").asLong()).isEqualTo(processedLive.size());
        assertThat(result.get("duplicatesSkipped").asLong()).isGreaterThanOrEqualTo(sent.size());
        assertThat(result.get("poisonSkipped").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(result.get("bookings").asLong()).isEqualTo(rows("booking_fact"));
        assertThat(result.get("callbacks").asLong()).isEqualTo(rows("callback_fact"));

        assertThat(summary(EVER_FROM, EVER_TO)).isEqualTo(everLive);
        assertThat(summary(FROM, TO)).isEqualTo(weekLive);
        assertThat(summary(MADE_DAY, MADE_DAY)).isEqualTo(madeDayLive);
        assertThat(getJson("/api/analytics/bookings-per-day?from=" + FROM + "&to=" + TO)).isEqualTo(daysLive);
        assertThat(getJson("/api/analytics/offers/" + offerId)).isEqualTo(offerLive);
        assertThat(processedEvents()).isEqualTo(processedLive);

        // The live listeners are back: a new event is counted, and nothing replayed counts twice.
        Booking d = booking(Instant.parse("2036-04-10T09:00:00Z"), "chesterfield", "sports-massage-60", 5500);
        confirmed(d, t.plusSeconds(3600));
        awaitConsumed();
        JsonNode after = summary(FROM, TO);
        assertThat(after.at("/bookings/count").asLong()).isEqualTo(3);
        assertThat(after.get("revenuePence").asLong()).isEqualTo(a.totalPence() + b.totalPence() + d.totalPence());
        assertThat(summary(MADE_DAY, MADE_DAY).at("/bookingsMade/count").asLong()).isEqualTo(4);
        assertThat(summary(EVER_FROM, EVER_TO).at("/bookings/count").asLong())
                .isEqualTo(everLive.at("/bookings/count").asLong() + 1);
    }

    @Test
    void onlyAnAdminMayRebuild() {
        web.post().uri("/api/admin/analytics/rebuild").headers(h -> h.setBearerAuth(token("MARKETING")))
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("forbidden");
        web.post().uri("/api/admin/analytics/rebuild")
                .exchange().expectStatus().isUnauthorized().expectBody().jsonPath("$.code").isEqualTo("unauthorized");
    }

    private List<String> processedEvents() {
        return db.sql("select consumer || ':' || event_id as k from processed_event order by 1")
                .map((row, meta) -> row.get("k", String.class)).all().collectList().block();
    }

    private long rows(String table) {
        return db.sql("select count(*) as n from " + table).map((row, meta) -> row.get("n", Long.class)).one().block();
    }
}
