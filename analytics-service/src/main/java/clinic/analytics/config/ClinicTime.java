package clinic.analytics.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** The contract fixes the clinic's zone: "days" in every figure are Europe/London local dates. */
public final class ClinicTime {
    public static final ZoneId ZONE = ZoneId.of("Europe/London");

    private ClinicTime() {}

    public static LocalDate localDate(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    /** First instant of a local day; a day may be 23 or 25 hours long across the clock changes. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }
}
