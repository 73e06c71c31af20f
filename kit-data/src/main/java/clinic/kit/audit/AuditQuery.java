package clinic.kit.audit;

import clinic.kit.web.ClinicException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The filters of {@code GET /api/admin/audit}, checked once: each service's part and the gateway's
 * merged list read the same parameters with the same rules, so the gateway can refuse a bad query
 * before it asks anyone and pass a good one on unchanged.
 *
 * @param from  inclusive, or null
 * @param to    exclusive, or null
 * @param actor exact username, or null for everyone
 * @param limit 1..{@link #MAX_LIMIT}
 */
public record AuditQuery(Instant from, Instant to, String actor, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** The longest e-mail address (RFC 5321 path limit, as the API description says). */
    public static final int MAX_ACTOR_LENGTH = 320;
    private static final ZoneId CLINIC_ZONE = ZoneId.of("Europe/London");

    /**
     * {@code from}/{@code to} are local dates (the clinic's zone; {@code to} includes its whole day)
     * or ISO-8601 instants with an offset. Anything wrong is a 400 {@code validation_failed} naming
     * the parameter.
     */
    public static AuditQuery of(String from, String to, String actor, Integer limit) {
        Instant start = bound("from", from, false);
        Instant end = bound("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ClinicException.invalid("to", "must not be before from");
        }
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) throw ClinicException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        String who = actor == null || actor.isBlank() ? null : actor.trim();
        if (who != null && who.length() > MAX_ACTOR_LENGTH) {
            throw ClinicException.invalid("actor", "must be at most " + MAX_ACTOR_LENGTH + " characters");
        }
        return new AuditQuery(start, end, who, n);
    }

    /** A date means its whole day: {@code to} is exclusive at the start of the next day. */
    private static Instant bound(String field, String value, boolean end) {
        if (value == null || value.isBlank()) return null;
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (end ? date.plusDays(1) : date).atStartOfDay(CLINIC_ZONE).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ClinicException.invalid(field, "must be a date (YYYY-MM-DD) or an ISO-8601 instant");
        }
    }
}
