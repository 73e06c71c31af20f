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
            "callbacks@clinic.test", "Peak Motion Clinic"));

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
    void ukPhoneNumbersAreGroupedAsTheyAreWrittenInTheUk() {
        assertThat(Formats.ukPhone("+441144960000")).isEqualTo("0114 496 0000");
        assertThat(Formats.ukPhone("+441142000001")).isEqualTo("0114 200 0001");
        assertThat(Formats.ukPhone("+441614960000")).isEqualTo("0161 496 0000");
        assertThat(Formats.ukPhone("+442079460000")).isEqualTo("020 7946 0000");
        assertThat(Formats.ukPhone("+441433650000")).isEqualTo("01433 650000");
        assertThat(Formats.ukPhone("+441539412345")).isEqualTo("015394 12345");
        assertThat(Formats.ukPhone("+447700900123")).isEqualTo("07700 900123");
        assertThat(Formats.ukPhone("+443001234567")).isEqualTo("0300 123 4567");
        assertThat(Formats.ukPhone("08001234567")).isEqualTo("0800 123 4567");
        assertThat(Formats.ukPhone("0800123456")).isEqualTo("0800 123 456");
        // However it was typed in.
        assertThat(Formats.ukPhone("0114 4960000")).isEqualTo("0114 496 0000");
        assertThat(Formats.ukPhone("+44 (0)114 496-0000")).isEqualTo("0114 496 0000");
        assertThat(Formats.ukPhone("0044 114 496 0000")).isEqualTo("0114 496 0000");
        // Not a UK number, or not a number: as given.
        assertThat(Formats.ukPhone("+33 1 23 45 67 89")).isEqualTo("+33 1 23 45 67 89");
        assertThat(Formats.ukPhone("ask at reception")).isEqualTo("ask at reception");
        assertThat(Formats.ukPhone("+44114")).isEqualTo("+44114");
        assertThat(Formats.ukPhone(null)).isEmpty();
    }

    @Test
    void aSectionIsShownOnlyWhenItsValueIsThere() {
        String template = "Where: {{location}}\n{{#phone}}Phone: {{phone}}\n{{/phone}}When: {{when}}";
        assertThat(Templates.fill(template, Map.of("location", "Sheffield", "phone", "0114 496 0000", "when", "today"),
                s -> s)).isEqualTo("Where: Sheffield\nPhone: 0114 496 0000\nWhen: today");
        assertThat(Templates.fill(template, Map.of("location", "Sheffield", "phone", "", "when", "today"), s -> s))
                .isEqualTo("Where: Sheffield\nWhen: today");
        // A section's key is required like any placeholder's, so a typo cannot hide a line for good.
        assertThatThrownBy(() -> Templates.fill(template, Map.of("location", "S", "when", "t"), s -> s))
                .hasMessageContaining("{{#phone}}");
        // A value cannot open a section: sections are read from the template before values go in.
        assertThat(Templates.fill("{{location}}", Map.of("location", "{{#x}}y{{/x}}"), s -> s)).isEqualTo("{{#x}}y{{/x}}");
    }

    @Test
    void aMissingValueFailsInsteadOfShowingThePlaceholder() {
        assertThatThrownBy(() -> new Templates().email("newsletter-confirm", Map.of()))
                .hasMessageContaining("{{confirmUrl}}");
    }

    @Test
    void theReminderTextNamesTheClinicAndHowToCallItOffInOneMessage() {
        String text = new Templates().sms("booking-reminder", Map.of("clinicName", "Peak Motion Clinic Sheffield",
                "treatment", "Deep tissue massage (90 min)", "time", "10:00",
                "reference", "BK-7KQ2MX", "phone", "0114 496 0000"));
        assertThat(text).startsWith("Peak Motion Clinic Sheffield: reminder").contains("tomorrow at 10:00").contains("BK-7KQ2MX")
                .contains("Call 0114 496 0000");
        // One GSM-7 text message, so the carrier does not split (and bill) it twice.
        assertThat(text.strip().length()).isLessThanOrEqualTo(160);
    }
}
