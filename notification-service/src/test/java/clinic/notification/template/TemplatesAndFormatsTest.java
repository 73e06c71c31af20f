package clinic.notification.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.notification.config.NotificationProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesAndFormatsTest {
    private final Formats formats = new Formats(new NotificationProperties("http://x", "Clinic <a@clinic.test>",
            ZoneId.of("Europe/London"), Duration.ofHours(24), Duration.ofSeconds(15), null, "clinic.test",
            "callbacks@clinic.test"));

    @Test
    void moneyIsWrittenInPoundsAndPence() {
        assertThat(Formats.money(4950)).isEqualTo("£49.50");
        assertThat(Formats.money(5)).isEqualTo("£0.05");
        assertThat(Formats.money(104950)).isEqualTo("£1,049.50");
    }

    @Test
    void timesAreClinicLocalAcrossTheClockChanges() {
        assertThat(formats.dateTime(Instant.parse("2027-02-10T10:00:00Z"))).isEqualTo("Wednesday 10 February 2027 at 10:00");
        assertThat(formats.dateTime(Instant.parse("2027-07-14T09:00:00Z"))).isEqualTo("Wednesday 14 July 2027 at 10:00");
        // The Sunday the clocks go forward (28 March 2027, 01:00 UTC).
        assertThat(formats.dateTime(Instant.parse("2027-03-28T00:30:00Z"))).isEqualTo("Sunday 28 March 2027 at 00:30");
        assertThat(formats.dateTime(Instant.parse("2027-03-28T01:30:00Z"))).isEqualTo("Sunday 28 March 2027 at 02:30");
    }

    @Test
    void valuesAreEscapedInHtmlOnlyAndSubjectsStayOnOneLine() {
        Templates t = new Templates();
        RenderedMessage m = t.email("callback-task", Map.of("name", "<i>Jo</i>\r\nBcc: x@evil.test", "phone", "+44",
                "email", "e", "location", "l", "preferredTime", "p", "message", "a & b", "requestedAt", "r",
                "dueAt", "d", "callbackId", "c"));
        assertThat(m.subject()).doesNotContain("\n").doesNotContain("\r").startsWith("Callback request from <i>Jo</i> Bcc:");
        assertThat(m.html()).contains("&lt;i&gt;Jo&lt;/i&gt;").contains("a &amp; b").doesNotContain("<i>");
        assertThat(m.text()).contains("Name: <i>Jo</i>").contains("a & b");
    }

    @Test
    void aMissingValueFailsInsteadOfShowingThePlaceholder() {
        assertThatThrownBy(() -> new Templates().email("newsletter-confirm", Map.of()))
                .hasMessageContaining("{{confirmUrl}}");
    }
}
