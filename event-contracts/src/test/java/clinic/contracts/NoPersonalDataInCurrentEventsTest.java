package clinic.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The event types producers publish since contract 1.1 carry no personal data and no secret
 * (docs/adr/0007): topics are kept for years and cannot be erased, so a field of that kind added to
 * one of these records, or its fixture, fails here before it reaches a broker.
 */
class NoPersonalDataInCurrentEventsTest {
    /** Names of fields that hold a person's data, free text about them, or a secret. */
    private static final Set<String> FORBIDDEN = Set.of("customer", "name", "email", "phone", "message", "note",
            "notes", "manageToken", "customerName", "customerEmail", "customerPhone");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each producer publishes today: the v2 types, and the v1 types that never carried personal data. */
    static Stream<Map.Entry<String, Class<?>>> published() {
        return Map.<String, Class<?>>ofEntries(
                Map.entry("booking.confirmed.v2", clinic.contracts.booking.BookingConfirmedV2.class),
                Map.entry("booking.cancelled.v2", clinic.contracts.booking.BookingCancelledV2.class),
                Map.entry("booking.rescheduled.v2", clinic.contracts.booking.BookingRescheduledV2.class),
                Map.entry("booking.attended.v1", clinic.contracts.booking.BookingAttended.class),
                Map.entry("booking.no_show.v1", clinic.contracts.booking.BookingNoShow.class),
                Map.entry("callback.requested.v2", clinic.contracts.callback.CallbackRequestedV2.class),
                Map.entry("callback.attempted.v2", clinic.contracts.callback.CallbackAttemptedV2.class),
                Map.entry("callback.completed.v2", clinic.contracts.callback.CallbackCompletedV2.class),
                Map.entry("callback.claimed.v1", clinic.contracts.callback.CallbackClaimed.class),
                Map.entry("callback.released.v1", clinic.contracts.callback.CallbackReleased.class),
                Map.entry("callback.sla_breached.v1", clinic.contracts.callback.CallbackSlaBreached.class),
                Map.entry("newsletter.confirmed.v1", clinic.contracts.notification.NewsletterConfirmed.class),
                Map.entry("notification.sent.v1", clinic.contracts.notification.NotificationSent.class),
                Map.entry("notification.failed.v1", clinic.contracts.notification.NotificationFailed.class),
                Map.entry("privacy.erasure_requested.v1", clinic.contracts.privacy.ErasureRequested.class),
                Map.entry("privacy.erasure_completed.v1", clinic.contracts.privacy.ErasureCompleted.class)).entrySet().stream();
    }

    @ParameterizedTest
    @MethodSource("published")
    void neitherTheRecordNorItsFixtureHasAPersonalField(Map.Entry<String, Class<?>> type) throws Exception {
        List<String> fields = new ArrayList<>();
        for (RecordComponent c : type.getValue().getRecordComponents()) fields.add(c.getName());
        assertThat(fields).as("fields of %s", type.getKey()).doesNotContainAnyElementsOf(FORBIDDEN);

        JsonNode fixture = JSON.readTree(Fixtures.json(type.getKey()));
        List<String> keys = new ArrayList<>();
        fixture.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("fixture of %s", type.getKey()).doesNotContainAnyElementsOf(FORBIDDEN);
        assertThat(fixture.toString()).as("no address or phone number anywhere in %s", type.getKey())
                .doesNotContainPattern("[A-Za-z0-9._%+-]+@example\\.com")
                .doesNotContainPattern("\\+447\\d{9}");
    }
}
