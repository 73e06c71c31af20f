package clinic.analytics.report;

import clinic.analytics.config.ClinicTime;
import clinic.kit.web.ClinicException.Violation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Local dates {@code from} to {@code to}, both inclusive. */
public record Period(LocalDate from, LocalDate to) {

    /** Reads the query parameters; every problem is reported at once, naming its field. */
    public static Period parse(String from, String to) {
        List<Violation> violations = new ArrayList<>();
        LocalDate f = date("from", from, violations);
        LocalDate t = date("to", to, violations);
        if (f != null && t != null && t.isBefore(f)) {
            violations.add(new Violation("to", "must not be before from"));
        }
        if (!violations.isEmpty()) throw new PeriodInvalid(violations);
        return new Period(f, t);
    }

    private static LocalDate date(String field, String value, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(field, "is required (a local date, YYYY-MM-DD)"));
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            violations.add(new Violation(field, "must be a local date, YYYY-MM-DD"));
            return null;
        }
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** First instant of {@code from} in the clinic's zone. */
    public Instant start() {
        return ClinicTime.startOf(from);
    }

    /** First instant after {@code to} in the clinic's zone (exclusive bound). */
    public Instant end() {
        return ClinicTime.startOf(to.plusDays(1));
    }
}
