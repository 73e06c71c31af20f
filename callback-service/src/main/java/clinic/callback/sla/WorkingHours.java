package clinic.callback.sla;

import clinic.callback.config.CallbackProperties;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * Adds working time to an instant: the clock only runs on opening days between opening and
 * closing time, in the clinic's zone. Arithmetic is on local wall-clock time because opening
 * hours are wall-clock hours: a clock change overnight neither adds nor removes working time.
 */
public record WorkingHours(Set<DayOfWeek> days, LocalTime opensAt, LocalTime closesAt, ZoneId zone) {

    public WorkingHours {
        if (days == null || days.isEmpty()) throw new IllegalArgumentException("opening days must not be empty");
        if (!opensAt.isBefore(closesAt)) throw new IllegalArgumentException("opening time must be before closing time");
        days = EnumSet.copyOf(days);
    }

    public static WorkingHours of(CallbackProperties p) {
        return new WorkingHours(p.openingDays(), p.opensAt(), p.closesAt(), p.zone());
    }

    /** The instant at which {@code target} of working time has passed since {@code from}. */
    public Instant plus(Instant from, Duration target) {
        if (target.isNegative()) throw new IllegalArgumentException("target must not be negative");
        LocalDateTime t = LocalDateTime.ofInstant(from, zone);
        Duration remaining = target;
        while (true) {
            t = nextWorkingMoment(t);
            LocalDateTime close = t.toLocalDate().atTime(closesAt);
            Duration left = Duration.between(t, close);
            if (remaining.compareTo(left) <= 0) {
                // Opening hours avoid the small hours where clocks change, so this local time exists.
                return t.plus(remaining).atZone(zone).toInstant();
            }
            remaining = remaining.minus(left);
            t = close;
        }
    }

    /** {@code t} itself when the clinic is open then, else the next opening time. */
    private LocalDateTime nextWorkingMoment(LocalDateTime t) {
        if (days.contains(t.getDayOfWeek()) && !t.toLocalTime().isBefore(opensAt) && t.toLocalTime().isBefore(closesAt)) {
            return t;
        }
        LocalDateTime candidate = days.contains(t.getDayOfWeek()) && t.toLocalTime().isBefore(opensAt)
                ? t.toLocalDate().atTime(opensAt)
                : t.toLocalDate().plusDays(1).atTime(opensAt);
        while (!days.contains(candidate.getDayOfWeek())) candidate = candidate.plusDays(1);
        return candidate;
    }
}
