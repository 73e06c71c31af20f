package clinic.booking.availability;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.booking.availability.SlotGenerator.Interval;
import clinic.booking.availability.SlotGenerator.LocalRange;
import clinic.booking.availability.SlotGenerator.Rules;
import clinic.booking.availability.SlotGenerator.TherapistDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator alone, on ordinary days and on the two clock-change Sundays of 2027. */
class SlotGeneratorTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Rules OPEN = rules(30, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));

    private static Rules rules(int minutes, Instant earliest, Instant latest) {
        return new Rules(Duration.ofMinutes(minutes), Duration.ofMinutes(15), 15, earliest, latest);
    }

    private static TherapistDay day(LocalRange hours, List<LocalRange> breaks, List<Interval> timeOff,
                                    List<Interval> booked) {
        return new TherapistDay("t", List.of(hours), breaks, timeOff, booked);
    }

    private static LocalRange range(String from, String to) {
        return new LocalRange(LocalTime.parse(from), LocalTime.parse(to));
    }

    private static List<String> localStarts(List<Slot> slots) {
        return slots.stream().map(s -> s.startsAt().atZone(LONDON).toLocalTime().toString()).toList();
    }

    @Test
    void springForwardSkipsTheMissingHourAndCountsRealTime() {
        // 2027-03-28: 01:00 GMT becomes 02:00 BST. 00:00-04:00 local is three real hours.
        LocalDate date = LocalDate.parse("2027-03-28");
        List<Slot> slots = SlotGenerator.slots(date, LONDON, OPEN,
                List.of(day(range("00:00", "04:00"), List.of(), List.of(), List.of())));

        assertThat(localStarts(slots)).containsExactly(
                "00:00", "00:15", "00:30", "00:45", "02:00", "02:15", "02:30", "02:45", "03:00", "03:15", "03:30");
        assertThat(slots).allSatisfy(s -> assertThat(Duration.between(s.startsAt(), s.endsAt())).hasMinutes(30));
        // The 00:45 slot really ends at 02:15 BST: thirty real minutes later.
        assertThat(slots.get(3).startsAt()).isEqualTo(Instant.parse("2027-03-28T00:45:00Z"));
        assertThat(slots.get(3).endsAt().atZone(LONDON).toLocalTime()).isEqualTo(LocalTime.of(2, 15));
        assertThat(slots.get(4).startsAt()).isEqualTo(Instant.parse("2027-03-28T01:00:00Z"));
    }

    @Test
    void fallBackOffersTheRepeatedHourTwiceAsDifferentInstants() {
        // 2027-10-31: 02:00 BST becomes 01:00 GMT. 00:00-04:00 local is five real hours.
        LocalDate date = LocalDate.parse("2027-10-31");
        List<Slot> slots = SlotGenerator.slots(date, LONDON, OPEN,
                List.of(day(range("00:00", "04:00"), List.of(), List.of(), List.of())));

        assertThat(slots).hasSize(19); // starts every 15 min over 300 min, the last at 270
        assertThat(slots.get(0).startsAt()).isEqualTo(Instant.parse("2027-10-30T23:00:00Z"));
        assertThat(slots.get(18).startsAt()).isEqualTo(Instant.parse("2027-10-31T03:30:00Z"));
        List<Instant> atOneLocal = slots.stream()
                .filter(s -> s.startsAt().atZone(LONDON).toLocalTime().equals(LocalTime.of(1, 0)))
                .map(Slot::startsAt).toList();
        assertThat(atOneLocal).containsExactly(Instant.parse("2027-10-31T00:00:00Z"), Instant.parse("2027-10-31T01:00:00Z"));
        assertThat(slots).extracting(Slot::startsAt).doesNotHaveDuplicates();
    }

    @Test
    void workingDayHoursMapToTheRightOffsetOnBothClockChangeDays() {
        List<Slot> march = SlotGenerator.slots(LocalDate.parse("2027-03-28"), LONDON, OPEN,
                List.of(day(range("09:00", "17:00"), List.of(), List.of(), List.of())));
        List<Slot> october = SlotGenerator.slots(LocalDate.parse("2027-10-31"), LONDON, OPEN,
                List.of(day(range("09:00", "17:00"), List.of(), List.of(), List.of())));

        assertThat(march.get(0).startsAt()).isEqualTo(Instant.parse("2027-03-28T08:00:00Z"));
        assertThat(march.get(march.size() - 1).endsAt()).isEqualTo(Instant.parse("2027-03-28T16:00:00Z"));
        assertThat(october.get(0).startsAt()).isEqualTo(Instant.parse("2027-10-31T09:00:00Z"));
        assertThat(october.get(october.size() - 1).endsAt()).isEqualTo(Instant.parse("2027-10-31T17:00:00Z"));
        assertThat(march).hasSize(31);
        assertThat(october).hasSize(31);
    }

    @Test
    void bufferKeepsQuarterHourFreeOnBothSidesOfABooking() {
        LocalDate date = LocalDate.parse("2027-02-03");
        // booked 10:00-11:00, blocked until 11:15
        Interval booked = new Interval(Instant.parse("2027-02-03T10:00:00Z"), Instant.parse("2027-02-03T11:15:00Z"));
        List<Slot> slots = SlotGenerator.slots(date, LONDON, OPEN,
                List.of(day(range("09:00", "12:30"), List.of(), List.of(), List.of(booked))));

        // 09:15-09:45 + buffer ends 10:00 exactly (half-open: free); 09:30 would run into it.
        assertThat(localStarts(slots)).containsExactly("09:00", "09:15", "11:15", "11:30", "11:45", "12:00");
    }

    @Test
    void breaksAndTimeOffAreNeverOverlapped() {
        LocalDate date = LocalDate.parse("2027-02-03");
        Interval off = new Interval(Instant.parse("2027-02-03T15:00:00Z"), Instant.parse("2027-02-04T00:00:00Z"));
        List<Slot> slots = SlotGenerator.slots(date, LONDON, rules(60, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")),
                List.of(day(range("12:00", "17:00"), List.of(range("13:00", "13:30")), List.of(off), List.of())));

        assertThat(localStarts(slots)).containsExactly("12:00", "13:30", "13:45", "14:00");
    }

    @Test
    void noticeAndHorizonBoundTheStarts() {
        LocalDate date = LocalDate.parse("2027-02-03");
        Rules rules = rules(30, Instant.parse("2027-02-03T10:07:00Z"), Instant.parse("2027-02-03T11:00:00Z"));
        List<Slot> slots = SlotGenerator.slots(date, LONDON, rules,
                List.of(day(range("09:00", "17:00"), List.of(), List.of(), List.of())));

        assertThat(localStarts(slots)).containsExactly("10:15", "10:30", "10:45", "11:00");
    }

    @Test
    void startsOffTheLocalGridAreRecognised() {
        assertThat(SlotGenerator.onGrid(Instant.parse("2027-06-01T08:15:00Z"), LONDON, 15)).isTrue();
        assertThat(SlotGenerator.onGrid(Instant.parse("2027-06-01T08:10:00Z"), LONDON, 15)).isFalse();
        assertThat(SlotGenerator.onGrid(Instant.parse("2027-06-01T08:15:30Z"), LONDON, 15)).isFalse();
    }

    @Test
    void hoursAreCutToTheOpeningHoursOfTheDay() {
        assertThat(SlotGenerator.within(List.of(range("08:00", "18:00")), List.of(range("09:00", "12:00"),
                range("13:00", "17:00")))).containsExactly(range("09:00", "12:00"), range("13:00", "17:00"));
        assertThat(SlotGenerator.within(List.of(range("09:00", "17:00")), List.of())).isEmpty();
        assertThat(SlotGenerator.within(List.of(range("07:00", "08:00")), List.of(range("09:00", "17:00")))).isEmpty();
    }

    @Test
    void aMadeAppointmentFitsOnlyInsideHoursClearOfBreaksAndTimeOff() {
        LocalDate date = LocalDate.of(2027, 2, 10);
        Instant ten = Instant.parse("2027-02-10T10:00:00Z");
        TherapistDay plain = day(range("09:00", "17:00"), List.of(range("13:00", "13:30")), List.of(), List.of());
        assertThat(SlotGenerator.fits(date, LONDON, plain, ten, ten.plusSeconds(3600))).isTrue();
        assertThat(SlotGenerator.fits(date, LONDON, plain, Instant.parse("2027-02-10T16:30:00Z"),
                Instant.parse("2027-02-10T17:30:00Z"))).isFalse();
        assertThat(SlotGenerator.fits(date, LONDON, plain, Instant.parse("2027-02-10T12:45:00Z"),
                Instant.parse("2027-02-10T13:15:00Z"))).isFalse();
        TherapistDay off = day(range("09:00", "17:00"), List.of(),
                List.of(new Interval(Instant.parse("2027-02-10T10:30:00Z"), Instant.parse("2027-02-10T11:00:00Z"))),
                List.of());
        assertThat(SlotGenerator.fits(date, LONDON, off, ten, ten.plusSeconds(3600))).isFalse();
        assertThat(SlotGenerator.fits(date, LONDON, off, ten, ten.plusSeconds(1800))).isTrue();
        // its own booking does not count against it
        TherapistDay booked = day(range("09:00", "17:00"), List.of(), List.of(),
                List.of(new Interval(ten, ten.plusSeconds(4500))));
        assertThat(SlotGenerator.fits(date, LONDON, booked, ten, ten.plusSeconds(3600))).isTrue();
        TherapistDay none = new TherapistDay("t", List.of(), List.of(), List.of(), List.of());
        assertThat(SlotGenerator.fits(date, LONDON, none, ten, ten.plusSeconds(3600))).isFalse();
    }
}
