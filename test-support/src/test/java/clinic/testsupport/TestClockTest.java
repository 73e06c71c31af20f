package clinic.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TestClockTest {
    private static final Instant WEDNESDAY = Instant.parse("2027-01-20T08:00:00Z");

    @Test
    void aFrozenClockStandsStillUntilMoved() {
        TestClock clock = TestClock.frozenAt(WEDNESDAY);
        assertThat(clock.instant()).isEqualTo(WEDNESDAY);
        clock.setTo(WEDNESDAY.plusSeconds(3600));
        assertThat(clock.instant()).isEqualTo(WEDNESDAY.plusSeconds(3600));
        clock.advance(Duration.ofDays(1));
        assertThat(clock.instant()).isEqualTo(WEDNESDAY.plus(Duration.ofHours(25)));
        // Local dates of a clinic in another zone read the same instant.
        assertThat(LocalDate.now(clock.withZone(ZoneId.of("Pacific/Kiritimati")))).isEqualTo(LocalDate.parse("2027-01-21"));
        clock.reset();
        assertThat(clock.instant()).isEqualTo(WEDNESDAY);
    }

    @Test
    void aFlowingClockKeepsRealTimeShiftedByTheOffsetATestSets() {
        TestClock clock = TestClock.flowing();
        assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));
        clock.setTo(WEDNESDAY);
        Instant first = clock.instant();
        assertThat(Duration.between(WEDNESDAY, first).abs()).isLessThan(Duration.ofSeconds(5));
        clock.advance(Duration.ofDays(2));
        assertThat(Duration.between(WEDNESDAY.plus(Duration.ofDays(2)), clock.instant()).abs())
                .isLessThan(Duration.ofSeconds(5));
        assertThat(Duration.between(clock.instant(), clock.withZone(ZoneId.of("Europe/London")).instant()).abs())
                .isLessThan(Duration.ofSeconds(5));
        clock.reset();
        assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));
    }
}
