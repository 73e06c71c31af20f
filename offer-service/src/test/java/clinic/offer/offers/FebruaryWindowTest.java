package clinic.offer.offers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The seed's February: this year's until 1 March 00:00 London time, then next year's. */
class FebruaryWindowTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void inAutumnItIsNextFebruary() {
        var w = FebruarySeed.februaryNotYetOver(Instant.parse("2026-11-26T21:00:00Z"), LONDON);
        assertThat(w.startsAt()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(w.endsAt()).isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
    }

    @Test
    void inJanuaryAndOnTheLastEveningOfFebruaryItIsThisYears() {
        assertThat(FebruarySeed.februaryNotYetOver(Instant.parse("2027-01-05T10:00:00Z"), LONDON).startsAt())
                .isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        assertThat(FebruarySeed.februaryNotYetOver(Instant.parse("2027-02-28T23:59:59Z"), LONDON).endsAt())
                .isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
    }

    @Test
    void fromFirstMarchItIsNextYearsIncludingALeapFebruary() {
        var w = FebruarySeed.februaryNotYetOver(Instant.parse("2027-03-01T00:00:00Z"), LONDON);
        assertThat(w.startsAt()).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
        assertThat(w.endsAt()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
    }
}
