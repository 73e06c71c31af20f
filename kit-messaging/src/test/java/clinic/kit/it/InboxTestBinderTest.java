package clinic.kit.it;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.kit.events.CloudEventHeaders;
import clinic.testsupport.TestInfra;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.binder.test.EnableTestBinder;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A handler's binding on Spring Cloud Stream's test binder: no broker round trip, the function is
 * called on the sending thread, so each assertion holds as soon as send returns. The kit's work
 * (inbox mark and handler in one transaction on the real PostgreSQL, duplicates skipped, metrics)
 * is the same code as on the Kafka binder; OutboxAndInboxTest covers the broker, retries and DLQ.
 */
// The test binder only in this context (defaultBinder=integration), which is closed after the class:
// every other context binds to Kafka.
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@EnableTestBinder
@SpringBootTest(properties = {
        "spring.application.name=kit-fast",
        "spring.cloud.stream.default-binder=integration"})
class InboxTestBinderTest {
    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry r) {
        TestInfra.register(r, "kitfast");
    }

    @Autowired InputDestination input;
    @Autowired KitTestApplication.Things things;
    @Autowired MeterRegistry meters;

    private long seen() {
        return ((Number) things.counts().block().get("seen")).longValue();
    }

    private static Message<byte[]> event(String id, String type, String thingId) {
        // Headers as the test binder carries them (Strings), under the Kafka binding's ce_ names.
        return MessageBuilder.withPayload(("{\"thingId\":\"" + thingId + "\",\"n\":1}").getBytes(StandardCharsets.UTF_8))
                .setHeader(CloudEventHeaders.ID, id)
                .setHeader(CloudEventHeaders.TYPE, type)
                .setHeader(CloudEventHeaders.SPEC_VERSION, "1.0")
                .setHeader(CloudEventHeaders.SOURCE, "kit-test")
                .build();
    }

    private double count(String name, String type) {
        var c = meters.find(name).tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anEventIsAppliedOnceAndItsRedeliveryIsSkipped() {
        String id = UUID.randomUUID().toString();
        long before = seen();
        double processed = count("clinic.inbox.processed", "thing.created.v1");
        double skipped = count("clinic.inbox.duplicates.skipped", "thing.created.v1");

        input.send(event(id, "thing.created.v1", "fast-" + id), KitTestApplication.TOPIC);
        assertThat(seen()).isEqualTo(before + 1);

        input.send(event(id, "thing.created.v1", "fast-" + id), KitTestApplication.TOPIC);
        assertThat(seen()).as("redelivery has no second effect").isEqualTo(before + 1);
        assertThat(count("clinic.inbox.processed", "thing.created.v1")).isEqualTo(processed + 2);
        assertThat(count("clinic.inbox.duplicates.skipped", "thing.created.v1")).isEqualTo(skipped + 1);
    }

    @Test
    void anEventTheHandlerDoesNotApplyLeavesNoTrace() {
        long before = seen();
        input.send(event(UUID.randomUUID().toString(), "thing.touched.v1", "other"), KitTestApplication.TOPIC);
        assertThat(seen()).isEqualTo(before);
    }

    /** The context starts inside this class's capture: it is closed after the class and no other test uses it. */
    @Test
    void theHandlersBindWithoutSpringCloudFunctionsFalseAlarm(CapturedOutput output) {
        assertThat(output.getAll())
                .as("the start is in the captured output")
                .contains("Channel 'kit-fast.seenHandlerInbox-in-0' has 1 subscriber(s)")
                .doesNotContain("Failed to locate function");
    }
}
