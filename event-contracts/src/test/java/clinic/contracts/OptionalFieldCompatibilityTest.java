package clinic.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.contracts.callback.CallbackCompleted;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code bookingReference} joined {@code callback.completed.v1} as an optional field, without a new
 * version: this holds only while it is compatible both ways, which is what these tests check.
 */
class OptionalFieldCompatibilityTest {
    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** How every consumer reads events: Spring Boot's ObjectMapper ignores unknown properties. */
    private static final ObjectMapper CONSUMER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** callback.completed.v1 as consumers compiled before the field know it. */
    record CallbackCompletedBefore(String callbackId, String outcome, String note, String by, Instant completedAt,
                                   Instant requestedAt, String locationId, int attempts) {}

    @Test
    void anEventWrittenBeforeTheFieldReadsAsWithoutAReference() throws Exception {
        ObjectNode old = (ObjectNode) STRICT.readTree(Fixtures.json("callback.completed.v1"));
        old.remove("bookingReference");
        CallbackCompleted event = STRICT.treeToValue(old, CallbackCompleted.class);
        assertThat(event.bookingReference()).isNull();
        assertThat(event.attempts()).isEqualTo(2);
    }

    @Test
    void aConsumerThatDoesNotKnowTheFieldStillReadsTheEvent() throws Exception {
        CallbackCompletedBefore event = CONSUMER.readValue(Fixtures.json("callback.completed.v1"),
                CallbackCompletedBefore.class);
        assertThat(event.outcome()).isEqualTo("BOOKED");
        assertThat(event.locationId()).isEqualTo("doncaster");
    }
}
