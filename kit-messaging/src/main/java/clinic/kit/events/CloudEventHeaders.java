package clinic.kit.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.messaging.MessageHeaders;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: attributes travel as {@code ce_*} headers,
 * the body is the event's JSON.
 */
public final class CloudEventHeaders {
    private CloudEventHeaders() {}

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";
    public static final String REQUEST_ID = "x-request-id";

    /** The value of a record's header (the last one of that name) as UTF-8 text, or null. */
    public static String value(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * The value of a message header as text, or null. The Kafka binder's header mapper passes
     * headers it did not write itself (the outbox relay writes plain Kafka headers) through as
     * {@code byte[]}; the test binder, and anything built with MessageBuilder, carries Strings.
     * Spring Cloud Function rewrites CloudEvents attribute headers of an incoming message to its
     * canonical prefix ({@code ce_id} arrives as {@code ce-id}), so an attribute is looked up under
     * each prefix the CloudEvents bindings use.
     */
    public static String value(MessageHeaders headers, String name) {
        Object v = headers.get(name);
        if (v == null && name.startsWith("ce_")) {
            String attribute = name.substring(3);
            v = headers.get("ce-" + attribute);
            if (v == null) v = headers.get("ce." + attribute);
        }
        if (v == null) return null;
        if (v instanceof byte[] bytes) return new String(bytes, StandardCharsets.UTF_8);
        return v.toString();
    }
}
