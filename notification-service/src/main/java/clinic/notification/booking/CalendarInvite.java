package clinic.notification.booking;

import clinic.notification.notification.Attachment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An RFC 5545 invitation for one appointment. Times are UTC with {@code Z}: unambiguous in every
 * calendar, with no VTIMEZONE to get wrong across the clock changes; the calendar shows them in
 * its own zone. The UID is stable per booking, so a reschedule (higher SEQUENCE) updates the
 * same entry instead of adding a second one.
 */
final class CalendarInvite {
    static final String PRODID = "-//Clinic Platform//notification-service//EN";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private CalendarInvite() {}

    static Attachment of(String reference, Instant start, Instant end, Instant stamp, long sequence,
                         String summary, String location, String description) {
        StringBuilder ics = new StringBuilder();
        line(ics, "BEGIN:VCALENDAR");
        line(ics, "VERSION:2.0");
        line(ics, "PRODID:" + PRODID);
        line(ics, "CALSCALE:GREGORIAN");
        line(ics, "METHOD:PUBLISH");
        line(ics, "BEGIN:VEVENT");
        line(ics, "UID:" + text(reference) + "@clinic");
        line(ics, "SEQUENCE:" + sequence);
        line(ics, "DTSTAMP:" + UTC.format(stamp));
        line(ics, "DTSTART:" + UTC.format(start));
        line(ics, "DTEND:" + UTC.format(end));
        line(ics, "SUMMARY:" + text(summary));
        line(ics, "LOCATION:" + text(location));
        line(ics, "DESCRIPTION:" + text(description));
        line(ics, "STATUS:CONFIRMED");
        line(ics, "END:VEVENT");
        line(ics, "END:VCALENDAR");
        return new Attachment(reference + ".ics", "text/calendar; charset=UTF-8; method=PUBLISH", ics.toString());
    }

    /** TEXT value escaping of RFC 5545 section 3.3.11. */
    static String text(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /** Content lines end in CRLF and fold at 75 octets without splitting a UTF-8 character. */
    private static void line(StringBuilder out, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 75) {
            out.append(content).append("\r\n");
            return;
        }
        int limit = 75;
        int octets = 0;
        for (int i = 0; i < content.length(); ) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append("\r\n ");
                octets = 0;
                limit = 74; // the leading space of a continuation line counts
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
