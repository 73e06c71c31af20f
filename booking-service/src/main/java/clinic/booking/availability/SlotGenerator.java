package clinic.booking.availability;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Free slots of one local day. Working hours and breaks are local times; they are turned into
 * instants once, and candidates then step through real time on the local 15-minute grid. On the
 * 23-hour day the missing local hour simply never occurs; on the 25-hour day the repeated hour
 * occurs twice, as two different instants (the therapist really works that extra hour).
 */
public final class SlotGenerator {
    private SlotGenerator() {}

    /** A half-open local-time interval of the day, e.g. 09:00-17:00. */
    public record LocalRange(LocalTime start, LocalTime end) {}

    /** A half-open interval of real time. */
    public record Interval(Instant start, Instant end) {
        boolean overlaps(Instant s, Instant e) {
            return s.isBefore(end) && e.isAfter(start);
        }
    }

    /**
     * What is known about one therapist's day.
     *
     * @param hours    working hours at the location that day (local)
     * @param breaks   breaks that day (local)
     * @param timeOff  absences (instants)
     * @param booked   confirmed bookings as their blocked ranges [start, end + buffer)
     */
    public record TherapistDay(String therapistId, List<LocalRange> hours, List<LocalRange> breaks,
                               List<Interval> timeOff, List<Interval> booked) {}

    /**
     * @param earliest the first allowed start (now + minimum notice)
     * @param latest   the last allowed start (now + horizon)
     */
    public record Rules(Duration duration, Duration buffer, int gridMinutes, Instant earliest, Instant latest) {}

    public static List<Slot> slots(LocalDate date, ZoneId zone, Rules rules, List<TherapistDay> days) {
        List<Slot> out = new ArrayList<>();
        Duration step = Duration.ofMinutes(rules.gridMinutes());
        for (TherapistDay day : days) {
            List<Interval> breaks = day.breaks().stream().map(b -> toInstants(date, zone, b)).toList();
            for (LocalRange hours : day.hours()) {
                Interval work = toInstants(date, zone, hours);
                for (Instant s = firstOnGrid(work.start(), zone, rules.gridMinutes()); ; s = s.plus(step)) {
                    Instant e = s.plus(rules.duration());
                    if (e.isAfter(work.end())) break;
                    if (s.isBefore(rules.earliest()) || s.isAfter(rules.latest())) continue;
                    if (overlapsAny(breaks, s, e) || overlapsAny(day.timeOff(), s, e)) continue;
                    // Both sides carry their buffer, exactly as the exclusion constraint compares them.
                    if (overlapsAny(day.booked(), s, e.plus(rules.buffer()))) continue;
                    out.add(new Slot(day.therapistId(), s, e));
                }
            }
        }
        out.sort(Comparator.comparing(Slot::startsAt).thenComparing(Slot::therapistId));
        return out;
    }

    /**
     * Whether an existing appointment {@code [start, end)} still fits the therapist's day: inside one
     * range of their hours, clear of breaks and time off. Other bookings, notice and horizon do not
     * matter here (the appointment is already made); the same hours and breaks as {@link #slots}.
     */
    public static boolean fits(LocalDate date, ZoneId zone, TherapistDay day, Instant start, Instant end) {
        boolean inHours = false;
        for (LocalRange hours : day.hours()) {
            Interval work = toInstants(date, zone, hours);
            if (!start.isBefore(work.start()) && !end.isAfter(work.end())) {
                inHours = true;
                break;
            }
        }
        if (!inHours) return false;
        List<Interval> breaks = day.breaks().stream().map(b -> toInstants(date, zone, b)).toList();
        return !overlapsAny(breaks, start, end) && !overlapsAny(day.timeOff(), start, end);
    }

    /**
     * The parts of a therapist's {@code hours} inside the location's {@code opening} ranges of the
     * day: a rota never offers time when the clinic is shut (opening hours may change after the rota).
     */
    public static List<LocalRange> within(List<LocalRange> hours, List<LocalRange> opening) {
        List<LocalRange> out = new ArrayList<>();
        for (LocalRange h : hours) {
            for (LocalRange o : opening) {
                LocalTime s = h.start().isAfter(o.start()) ? h.start() : o.start();
                LocalTime e = h.end().isBefore(o.end()) ? h.end() : o.end();
                if (s.isBefore(e)) out.add(new LocalRange(s, e));
            }
        }
        out.sort(Comparator.comparing(LocalRange::start));
        return out;
    }

    /** Whether {@code start} is on the local grid of its day in {@code zone}. */
    public static boolean onGrid(Instant start, ZoneId zone, int gridMinutes) {
        LocalTime t = start.atZone(zone).toLocalTime();
        return t.getSecond() == 0 && t.getNano() == 0 && t.getMinute() % gridMinutes == 0;
    }

    private static Instant firstOnGrid(Instant from, ZoneId zone, int gridMinutes) {
        Instant s = from;
        while (!onGrid(s, zone, gridMinutes)) {
            s = s.plusSeconds(60 - s.atZone(zone).getSecond()).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        }
        return s;
    }

    /**
     * A local range as instants. A local time inside the spring-forward gap moves to the first
     * instant after it; inside the autumn overlap a start takes the earlier and an end the later
     * occurrence, so the range covers all the real time it names.
     */
    static Interval toInstants(LocalDate date, ZoneId zone, LocalRange r) {
        Instant start = ZonedDateTime.ofLocal(LocalDateTime.of(date, r.start()), zone, null)
                .withEarlierOffsetAtOverlap().toInstant();
        Instant end = ZonedDateTime.ofLocal(LocalDateTime.of(date, r.end()), zone, null)
                .withLaterOffsetAtOverlap().toInstant();
        return new Interval(start, end);
    }

    private static boolean overlapsAny(List<Interval> intervals, Instant s, Instant e) {
        for (Interval i : intervals) {
            if (i.overlaps(s, e)) return true;
        }
        return false;
    }
}
