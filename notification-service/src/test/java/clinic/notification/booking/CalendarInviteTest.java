package clinic.notification.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

class CalendarInviteTest {
    @Test
    void longAndSpecialTextIsEscapedAndFoldedAndStillParses() throws Exception {
        String summary = "Sports massage; deep tissue, with Zoë Ångström — a very long title that needs folding " .repeat(3).strip();
        var ics = CalendarInvite.of("BK-ABC123", Instant.parse("2027-10-31T10:00:00Z"),
                Instant.parse("2027-10-31T11:00:00Z"), Instant.parse("2027-10-01T08:00:00Z"), 0, summary,
                "Sheffield, S1 2AB", "line one\nline two");
        for (String line : ics.content().split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75);
        }
        Calendar cal = new CalendarBuilder().build(new StringReader(ics.content()));
        VEvent event = (VEvent) cal.getComponent(Component.VEVENT);
        assertThat(event.getSummary().getValue()).isEqualTo(summary);
        assertThat(event.getLocation().getValue()).isEqualTo("Sheffield, S1 2AB");
        assertThat(event.getDescription().getValue()).isEqualTo("line one\nline two");
        assertThat(event.getUid().getValue()).isEqualTo("BK-ABC123@clinic");
        // 31 October 2027 is after the clocks go back: 10:00 UTC is 10:00 GMT, written unambiguously.
        assertThat(event.getStartDate().getDate().toInstant()).isEqualTo(Instant.parse("2027-10-31T10:00:00Z"));
        assertThat(ics.content()).contains("DTSTART:20271031T100000Z\r\n").contains("PRODID:" + CalendarInvite.PRODID);
    }

    @Test
    void theClinicsAddressIsTheLocationAndItsCommasSurviveTheEscaping() throws Exception {
        var where = new clinic.notification.catalogue.Whereabouts("Sheffield", "12 Division Street, Sheffield S1 4GF",
                "0114 496 0000");
        var ics = CalendarInvite.of("BK-ADDR01", Instant.parse("2027-02-10T10:00:00Z"),
                Instant.parse("2027-02-10T11:00:00Z"), Instant.parse("2027-01-20T12:00:00Z"), 0, "Sports massage",
                where.calendarLocation(), "Booking reference BK-ADDR01");
        assertThat(ics.content()).contains("LOCATION:12 Division Street\\, Sheffield S1 4GF\r\n");
        VEvent event = (VEvent) new CalendarBuilder().build(new StringReader(ics.content())).getComponent(Component.VEVENT);
        assertThat(event.getLocation().getValue()).isEqualTo("12 Division Street, Sheffield S1 4GF");
        // Without an address, the name is all a calendar can show.
        assertThat(clinic.notification.catalogue.Whereabouts.nameOnly("Hathersage").calendarLocation()).isEqualTo("Hathersage");
    }
}
