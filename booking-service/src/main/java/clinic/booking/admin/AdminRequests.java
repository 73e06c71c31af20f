package clinic.booking.admin;

import clinic.booking.catalog.Hours;
import clinic.booking.catalog.PostalAddress;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Bodies and answers of the administration API (CONTRACT.md 1.1, "Clinic administration"). Bodies
 * are checked field by field in {@link CatalogueAdmin} so every violation names its JSON path
 * ({@code days[1]}, {@code treatmentIds[2]}); {@code active} defaults to true.
 */
public final class AdminRequests {
    private AdminRequests() {}

    public record LocationBody(String id, String name, PostalAddress postalAddress, String phone, String email,
                               Map<DayOfWeek, List<Hours>> openingHours, Boolean active) {}

    public record TreatmentBody(String id, String name, String category, Integer durationMinutes, Long pricePence,
                                String description, Boolean active) {}

    public record TherapistBody(String id, String name, String bio, List<String> treatmentIds, Boolean active) {}

    /** A weekly pattern from {@code effectiveFrom} (default today) on: it replaces every version from then. */
    public record WorkingHoursBody(LocalDate effectiveFrom, List<Day> days) {}

    public record Day(DayOfWeek dayOfWeek, String locationId,
                      @JsonFormat(pattern = "HH:mm") LocalTime from,
                      @JsonFormat(pattern = "HH:mm") LocalTime to,
                      List<Hours> breaks) {}

    public record TimeOffBody(OffsetDateTime from, OffsetDateTime to, String reason) {}

    public record ClosureBody(LocalDate date, String locationId, String reason) {}

    /** A confirmed booking that a change left outside availability (it stays booked; staff move or cancel it). */
    public record AffectedBooking(String reference, Instant startsAt) {}

    /** A saved thing with the bookings its change stranded. */
    public record Saved<T>(@JsonUnwrapped T value, List<AffectedBooking> affectedBookings) {}

    public record TimeOff(long id, String therapistId, Instant from, Instant to, String reason) {}

    public record TimeOffSaved(long id, String therapistId, Instant from, Instant to, String reason,
                               List<AffectedBooking> affectedBookings) {}

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    public record ClosureSaved(String id, LocalDate date, String locationId, String reason,
                               List<AffectedBooking> affectedBookings) {}

    /** One version of a weekly pattern, in the shape of the PUT body. */
    public record PatternVersion(LocalDate effectiveFrom, List<Day> days) {}

    /** A therapist as the admin screen edits them. */
    public record TherapistDetails(String id, String name, String bio, List<String> treatmentIds,
                                   List<String> locationIds, boolean active, List<PatternVersion> workingHours,
                                   List<TimeOff> timeOff) {}
}
