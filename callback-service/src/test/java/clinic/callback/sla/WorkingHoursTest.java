package clinic.callback.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.EnumSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkingHoursTest {
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final Duration TWO_HOURS = Duration.ofHours(2);
    final WorkingHours clinic = new WorkingHours(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY), LocalTime.of(9, 0), LocalTime.of(17, 0), LONDON);

    static Instant london(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(LONDON).toInstant();
    }

    @Test
    void withinOpeningHoursTheTargetIsPlainTime() {
        // 2027-01-18 is a Monday.
        assertThat(clinic.plus(london("2027-01-18T10:15:00"), TWO_HOURS)).isEqualTo(london("2027-01-18T12:15:00"));
        assertThat(clinic.plus(london("2027-01-18T15:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-18T17:00:00"));
    }

    @Test
    void saturdayLateAfternoonIsDueOnMondayMorning() {
        // 2027-01-23 is a Saturday: 30 minutes on Saturday, closed Sunday, 90 minutes on Monday.
        assertThat(clinic.plus(london("2027-01-23T16:30:00"), TWO_HOURS)).isEqualTo(london("2027-01-25T10:30:00"));
    }

    @Test
    void aSundayRequestStartsOnMonday() {
        assertThat(clinic.plus(london("2027-01-24T12:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-25T11:00:00"));
    }

    @Test
    void anEveningRequestIsDueMidMorningNextDay() {
        // 2027-01-19 is a Tuesday.
        assertThat(clinic.plus(london("2027-01-19T20:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-20T11:00:00"));
    }

    @Test
    void anEarlyRequestWaitsForOpening() {
        assertThat(clinic.plus(london("2027-01-19T07:45:00"), TWO_HOURS)).isEqualTo(london("2027-01-19T11:00:00"));
    }

    @Test
    void closingTimeItselfCountsAsClosed() {
        assertThat(clinic.plus(london("2027-01-19T17:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-20T11:00:00"));
    }

    @Test
    void fridayAfternoonRunsIntoSaturday() {
        assertThat(clinic.plus(london("2027-01-22T16:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-23T10:00:00"));
    }

    @Test
    void aTargetLongerThanADaySpansSeveralDays() {
        // 20 working hours from Friday 16:00: 1 h Fri, 8 h Sat, 8 h Mon, 3 h Tue.
        assertThat(clinic.plus(london("2027-01-22T16:00:00"), Duration.ofHours(20)))
                .isEqualTo(london("2027-01-26T12:00:00"));
    }

    @Test
    void springClockChangeWeekendLosesNoWorkingTime() {
        // Clocks go forward on Sunday 2027-03-28. Saturday 16:00 GMT (16:00Z) is due Monday 10:00 BST (09:00Z).
        Instant due = clinic.plus(Instant.parse("2027-03-27T16:00:00Z"), TWO_HOURS);
        assertThat(due).isEqualTo(Instant.parse("2027-03-29T09:00:00Z"));
        assertThat(due).isEqualTo(london("2027-03-29T10:00:00"));
    }

    @Test
    void autumnClockChangeWeekendGainsNoWorkingTime() {
        // Clocks go back on Sunday 2026-10-25. Saturday 16:30 BST (15:30Z) is due Monday 10:30 GMT (10:30Z).
        Instant due = clinic.plus(Instant.parse("2026-10-24T15:30:00Z"), TWO_HOURS);
        assertThat(due).isEqualTo(Instant.parse("2026-10-26T10:30:00Z"));
    }

    @Test
    void openingHoursAreConfigurable() {
        WorkingHours weekdays = new WorkingHours(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(8, 0), LocalTime.of(12, 0), LONDON);
        // Friday 11:00: 1 h Friday, then Monday from 08:00.
        assertThat(weekdays.plus(london("2027-01-22T11:00:00"), TWO_HOURS)).isEqualTo(london("2027-01-25T09:00:00"));
    }

    @Test
    void nonsenseHoursAreRefused() {
        assertThatThrownBy(() -> new WorkingHours(Set.of(), LocalTime.of(9, 0), LocalTime.of(17, 0), LONDON))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkingHours(Set.of(DayOfWeek.MONDAY), LocalTime.of(17, 0), LocalTime.of(9, 0), LONDON))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
