package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The offer's own rules: rounding, scope and windows in the clinic's local time. */
class OfferTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void percentagesRoundToTheNearestPennyWithHalvesToTheCustomer() {
        assertThat(percent(10).discountFor(4950)).isEqualTo(495);
        assertThat(percent(15).discountFor(4550)).isEqualTo(683);   // 682.5
        assertThat(percent(10).discountFor(5500)).isEqualTo(550);
        assertThat(percent(15).discountFor(3333)).isEqualTo(500);   // 499.95
        assertThat(percent(33).discountFor(1)).isZero();           // 0.33
        assertThat(percent(50).discountFor(1)).isEqualTo(1);       // 0.5: to the customer
        assertThat(percent(100).discountFor(5500)).isEqualTo(5500);
        assertThat(percent(10).discountFor(0)).isZero();
    }

    @Test
    void aFixedAmountNeverExceedsThePrice() {
        assertThat(amount(1000).discountFor(5500)).isEqualTo(1000);
        assertThat(amount(1000).discountFor(800)).isEqualTo(800);
    }

    @Test
    void aWindowOfLocalDaysAcrossTheOctoberClockChangeIsTwentyFiveHoursLong() {
        // 25 October 2026: clocks go back at 02:00 BST, so that local day lasts 25 hours.
        Instant start = LocalDate.of(2026, 10, 25).atStartOfDay(LONDON).toInstant();
        Instant end = LocalDate.of(2026, 10, 26).atStartOfDay(LONDON).toInstant();
        assertThat(start).isEqualTo(Instant.parse("2026-10-24T23:00:00Z"));
        assertThat(Duration.between(start, end)).isEqualTo(Duration.ofHours(25));
        Offer o = window(start, end);
        Instant booked = Instant.parse("2026-10-20T12:00:00Z");

        assertThat(o.checkUse(use(local(2026, 10, 24, 23, 59), booked))).contains(Rejection.EXPIRED);
        assertThat(o.checkUse(use(local(2026, 10, 25, 0, 0), booked))).isEmpty();
        // 01:30 happens twice that night; both are inside.
        assertThat(o.checkUse(use(Instant.parse("2026-10-25T00:30:00Z"), booked))).isEmpty();
        assertThat(o.checkUse(use(Instant.parse("2026-10-25T01:30:00Z"), booked))).isEmpty();
        // 23:30 local is 23:30Z after the change: still that day (a 24-hour day would have ended at 23:00Z).
        assertThat(o.checkUse(use(local(2026, 10, 25, 23, 30), booked))).isEmpty();
        assertThat(o.checkUse(use(local(2026, 10, 26, 0, 0), booked))).contains(Rejection.EXPIRED);
    }

    @Test
    void theBookingMustBeMadeBeforeTheWindowEnds() {
        Instant start = Instant.parse("2027-02-01T00:00:00Z");
        Instant end = Instant.parse("2027-03-01T00:00:00Z");
        Offer o = window(start, end);
        Instant appointment = Instant.parse("2027-02-20T10:00:00Z");
        assertThat(o.checkUse(use(appointment, end.minusSeconds(1)))).isEmpty();
        assertThat(o.checkUse(use(appointment, end))).contains(Rejection.EXPIRED);
    }

    @Test
    void scopeLocationAndMinimumPriceDecideApplicability() {
        Instant start = Instant.parse("2027-02-01T00:00:00Z");
        Offer byIds = new Offer(UUID.randomUUID(), "IDS", "t", null, 10, null, null, List.of("sports-massage-60"),
                List.of("sheffield"), start, start.plus(Duration.ofDays(10)), null, 1, 5000L, false,
                OfferStatus.LIVE, 0, start, "m", null, null);
        Instant at = start.plus(Duration.ofDays(1));
        Instant booked = start.minus(Duration.ofDays(1));
        assertThat(byIds.checkUse(new Offer.Use("sports-massage-60", "sports-massage", "sheffield", at, 5500, booked))).isEmpty();
        assertThat(byIds.checkUse(new Offer.Use("sports-massage-30", "sports-massage", "sheffield", at, 5500, booked)))
                .contains(Rejection.NOT_APPLICABLE);
        assertThat(byIds.checkUse(new Offer.Use("sports-massage-60", "sports-massage", "doncaster", at, 5500, booked)))
                .contains(Rejection.NOT_APPLICABLE);
        assertThat(byIds.checkUse(new Offer.Use("sports-massage-60", "sports-massage", "sheffield", at, 4999, booked)))
                .contains(Rejection.NOT_APPLICABLE);
        // Over outranks not applicable.
        assertThat(byIds.checkUse(new Offer.Use("sports-massage-30", "sports-massage", "doncaster",
                start.minusSeconds(1), 100, booked))).contains(Rejection.EXPIRED);
    }

    @Test
    void ofTheOffersThatCarriedACodeTheOneRunningOverTheAppointmentIsMeant() {
        Instant feb26 = Instant.parse("2026-02-01T00:00:00Z");
        Instant feb27 = Instant.parse("2027-02-01T00:00:00Z");
        Offer old = withStatus(window(feb26, feb26.plus(Duration.ofDays(28))), OfferStatus.EXPIRED);
        Offer next = window(feb27, feb27.plus(Duration.ofDays(28)));
        Offer endedEarly = withStatus(window(feb27, feb27.plus(Duration.ofDays(28))), OfferStatus.ENDED);
        List<Offer> all = List.of(old, endedEarly, next);
        assertThat(Offer.meantBy(all, feb27.plus(Duration.ofDays(3)))).contains(next);
        assertThat(Offer.meantBy(all, feb26.plus(Duration.ofDays(3)))).contains(next);
        assertThat(Offer.meantBy(List.of(old), feb27)).contains(old);
        assertThat(Offer.meantBy(List.of(), feb27)).isEmpty();
    }

    private static Instant local(int y, int m, int d, int h, int min) {
        return LocalDateTime.of(y, m, d, h, min).atZone(LONDON).toInstant();
    }

    private static Offer.Use use(Instant appointmentAt, Instant bookedAt) {
        return new Offer.Use("sports-massage-60", "sports-massage", "sheffield", appointmentAt, 5500, bookedAt);
    }

    private static Offer percent(int p) {
        return new Offer(UUID.randomUUID(), "P", "t", null, p, null, "sports-massage", List.of(), List.of(),
                Instant.EPOCH, Instant.MAX, null, 1, null, false, OfferStatus.LIVE, 0, Instant.EPOCH, "m", null, null);
    }

    private static Offer amount(long pence) {
        return new Offer(UUID.randomUUID(), "A", "t", null, null, pence, "sports-massage", List.of(), List.of(),
                Instant.EPOCH, Instant.MAX, null, 1, null, false, OfferStatus.LIVE, 0, Instant.EPOCH, "m", null, null);
    }

    private static Offer window(Instant start, Instant end) {
        return new Offer(UUID.randomUUID(), "W", "t", null, 10, null, "sports-massage", List.of(), List.of(),
                start, end, null, 1, null, false, OfferStatus.SCHEDULED, 0, start, "m", null, null);
    }

    private static Offer withStatus(Offer o, OfferStatus s) {
        return new Offer(o.id(), o.code(), o.title(), o.description(), o.percentOff(), o.amountOffPence(),
                o.treatmentCategory(), o.treatmentIds(), o.locationIds(), o.startsAt(), o.endsAt(), o.maxRedemptions(),
                o.maxRedemptionsPerCustomer(), o.minimumPricePence(), o.announce(), s, o.taken(), o.createdAt(),
                o.createdBy(), o.endedAt(), o.endedBy());
    }
}
