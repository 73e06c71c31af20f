package clinic.booking.desk;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The diary as GET /api/staff/diary answers it (CONTRACT 1.1, "Staff desk"). */
public record Diary(String locationId, LocalDate from, LocalDate to, List<TherapistColumn> therapists,
                    List<ClosureDay> closures) {

    public record TherapistColumn(String id, String name, List<Day> days) {}

    /**
     * One therapist's local day. {@code workingHours} is the pattern in force that day cut to the
     * opening hours, empty when the location is closed or the therapist inactive (as availability
     * sees it); {@code timeOff} every absence overlapping the day.
     */
    public record Day(LocalDate date, List<TimeRange> workingHours, List<TimeRange> breaks, List<TimeOff> timeOff,
                      List<DiaryBooking> bookings) {}

    /** Local times of the day, "HH:mm". */
    public record TimeRange(String from, String to) {}

    public record TimeOff(String id, Instant from, Instant to) {}

    /** {@code attendance} (ATTENDED, NO_SHOW or null) is an addition to the contract's fields. */
    public record DiaryBooking(String reference, Instant startsAt, Instant endsAt, String treatmentId,
                               String customerName, String status, boolean needsAttention, String attendance) {}

    /** {@code locationId} null: every location is closed that day (bank holidays). */
    public record ClosureDay(String id, LocalDate date, String locationId, String reason) {}
}
