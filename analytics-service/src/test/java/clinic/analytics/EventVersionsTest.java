package clinic.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Producers publish booking and callback events as version 2, without personal data (docs/adr/0007);
 * old topics still hold version 1. The same story told in either version gives the same figures, so a
 * rebuild over a topic holding both is right. Dates: May 2035 (v1) and May 2036 (v2); no other test uses them.
 */
class EventVersionsTest extends AnalyticsTestBase {

    @AfterEach
    void backToV1() {
        v2 = false;
    }

    /** Bookings confirmed, one moved, one cancelled; callbacks requested, attempted, completed; in the month of {@code base}. */
    private JsonNode tell(Instant base) {
        Instant t = base.minus(30, ChronoUnit.DAYS);
        Booking a = booking(base.plus(1, ChronoUnit.DAYS), "sheffield", "sports-massage-60", 5500);
        Booking b = booking(base.plus(2, ChronoUnit.DAYS), "doncaster", "sports-massage-30", 3500);
        Booking c = booking(base.plus(3, ChronoUnit.DAYS), "sheffield", "physio-assessment", 4000);
        for (Booking x : new Booking[] {a, b, c}) confirmed(x, t);
        rescheduled(b, base.plus(5, ChronoUnit.DAYS), t.plusSeconds(60));
        cancelled(c, t.plusSeconds(120));
        String c1 = UUID.randomUUID().toString(), c2 = UUID.randomUUID().toString();
        Instant r1 = base.plus(1, ChronoUnit.DAYS), r2 = base.plus(2, ChronoUnit.DAYS);
        callbackRequested(c1, r1, "sheffield");
        callbackAttempted(c1, r1, r1.plusSeconds(12 * 60), 1);
        callbackCompleted(c1, r1, r1.plusSeconds(30 * 60));
        callbackRequested(c2, r2, "rotherham");
        callbackAttempted(c2, r2, r2.plusSeconds(20 * 60), 1);
        awaitConsumed();
        LocalDate from = LocalDate.ofInstant(base, java.time.ZoneOffset.UTC);
        return summary(from, from.plusDays(10));
    }

    @Test
    void versionOneAndVersionTwoGiveTheSameFigures() {
        JsonNode fromV1 = tell(Instant.parse("2035-05-01T10:00:00Z"));
        v2 = true;
        JsonNode fromV2 = tell(Instant.parse("2036-05-01T10:00:00Z"));

        assertThat(fromV1.at("/bookings/count").asLong()).isEqualTo(2);
        assertThat(fromV1.get("revenuePence").asLong()).isEqualTo(5500 + 3500);
        assertThat(fromV1.at("/callbacks/requested").asLong()).isEqualTo(2);
        assertThat(fromV1.at("/callbacks/completed").asLong()).isEqualTo(1);
        assertThat(fromV2.get("bookings")).isEqualTo(fromV1.get("bookings"));
        assertThat(fromV2.get("revenuePence")).isEqualTo(fromV1.get("revenuePence"));
        assertThat(fromV2.get("discountPence")).isEqualTo(fromV1.get("discountPence"));
        assertThat(fromV2.get("callbacks")).isEqualTo(fromV1.get("callbacks"));
    }
}
