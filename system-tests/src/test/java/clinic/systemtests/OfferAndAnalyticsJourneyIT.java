package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issues 3 and 8 through the gateway: the seeded FEB10 quote, marketing launching an offer that
 * goes live by itself, a booking using it, and the analytics summary counting what happened.
 */
class OfferAndAnalyticsJourneyIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void feb10QuotesTenPercentOnAFebruarySportsMassage() {
        assertThat(p.get("/api/offers").body().toString()).contains("FEB10");
        LocalDate today = LocalDate.now(Journeys.LONDON);
        int year = today.getMonthValue() <= 2 ? today.getYear() : today.getYear() + 1;
        LocalDate day = LocalDate.of(year, 2, 10);
        while (day.getDayOfWeek() == DayOfWeek.SUNDAY) day = day.plusDays(1);
        Instant startsAt = LocalDateTime.of(day, java.time.LocalTime.of(10, 0)).atZone(Journeys.LONDON).toInstant();
        long price = priceOf("sports-massage-60");
        var quote = p.get("/api/offers/quote?code=feb10&treatmentId=sports-massage-60&locationId=sheffield&startsAt="
                + startsAt + "&email=" + Journeys.uniqueEmail("quote"));
        assertThat(quote.status()).isEqualTo(200);
        assertThat(quote.body().get("valid").asBoolean()).isTrue();
        long discount = Math.round(price * 0.10);
        assertThat(quote.body().get("discountPence").asLong()).isEqualTo(discount);
        assertThat(quote.body().get("totalPence").asLong()).isEqualTo(price - discount);
    }

    @Test
    void marketingLaunchesAnOfferThatGoesLiveAndIsRedeemedAndCounted() {
        String marketing = p.token("marketing@clinic.test");
        String code = "SYS" + UUID.randomUUID().toString().substring(0, 6).toUpperCase().replace("-", "");
        Map<String, Object> offer = Journeys.sportsMassageOffer(code, "15% off for system tests", "Launched by a system test", 15);
        var created = p.post("/api/marketing/offers", offer, "Authorization", marketing);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String offerId = created.body().get("id").asText();

        assertThat(p.post("/api/marketing/offers", offer, "Authorization", p.token("staff@clinic.test")).status())
                .isEqualTo(403);
        assertThat(p.post("/api/marketing/offers", offer).status()).isEqualTo(401);

        await().atMost(Duration.ofSeconds(30)).until(() -> "LIVE".equals(status(marketing, offerId)));

        LocalDate day = Journeys.weekdayAhead(21);
        JsonNode slot = Journeys.slots(p, "chesterfield", "sports-massage-45", day).get(0);
        var booked = p.post("/api/bookings", Journeys.booking("chesterfield", "sports-massage-45", slot,
                Journeys.uniqueEmail("promo"), code.toLowerCase()));
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        long price = booked.body().get("pricePence").asLong();
        long discount = booked.body().get("discountPence").asLong();
        assertThat(discount).isEqualTo(Math.round(price * 0.15));
        assertThat(booked.body().get("totalPence").asLong()).isEqualTo(price - discount);
        assertThat(booked.body().get("promoCode").asText()).isEqualToIgnoringCase(code);

        JsonNode plainSlot = Journeys.slots(p, "chesterfield", "sports-massage-45", day).get(0);
        var plain = p.post("/api/bookings", Journeys.booking("chesterfield", "sports-massage-45", plainSlot,
                Journeys.uniqueEmail("plain"), null));
        assertThat(plain.status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> redemptions(marketing, offerId) == 1);

        String from = day.toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var summary = p.get("/api/analytics/summary?from=" + from + "&to=" + from, "Authorization", marketing);
            assertThat(summary.status()).isEqualTo(200);
            JsonNode b = summary.body().get("bookings");
            assertThat(b.get("byLocation").path("chesterfield").asLong()).isEqualTo(2);
            assertThat(summary.body().get("offers").toString()).contains(code);
        });
        assertThat(p.get("/api/analytics/summary?from=" + from + "&to=" + from,
                "Authorization", p.token("staff@clinic.test")).status()).isEqualTo(403);
    }

    private static long priceOf(String treatment) {
        for (JsonNode t : p.get("/api/treatments").body()) {
            if (treatment.equals(t.get("id").asText())) return t.get("pricePence").asLong();
        }
        throw new IllegalStateException("no treatment " + treatment);
    }

    private static String status(String token, String offerId) {
        for (JsonNode o : p.get("/api/marketing/offers", "Authorization", token).body()) {
            if (offerId.equals(o.get("id").asText())) return o.get("status").asText();
        }
        return null;
    }

    private static long redemptions(String token, String offerId) {
        for (JsonNode o : p.get("/api/marketing/offers", "Authorization", token).body()) {
            if (offerId.equals(o.get("id").asText())) return o.path("redemptions").asLong();
        }
        return -1;
    }
}
