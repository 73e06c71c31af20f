package clinic.kit.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * One event as a consumer sees it: its CloudEvents attributes and its JSON body.
 * {@link #payloadAs(Class)} reads the body into the producer's record from event-contracts.
 * Given to a handler, {@link #traceparent()} is the kit's consumer span (see InboxProcessor), not
 * the producer's header.
 */
public record InboundEvent(
        String id,
        String type,
        String source,
        Instant time,
        String topic,
        String key,
        JsonNode payload,
        String traceparent,
        String requestId,
        ObjectMapper mapper) {

    /**
     * The same event seen from inside its consumer span: {@link #traceparent()} then names that
     * span, so whatever the handler passes on continues the trace under it.
     */
    public InboundEvent withTraceparent(String traceparent) {
        return new InboundEvent(id, type, source, time, topic, key, payload, traceparent, requestId, mapper);
    }

    public <T> T payloadAs(Class<T> type) {
        try {
            return mapper.treeToValue(payload, type);
        } catch (Exception e) {
            throw new PoisonEvent("body of " + this.type + " " + id + " does not fit " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    public static InboundEvent from(ConsumerRecord<String, String> record, ObjectMapper mapper) {
        return read(name -> CloudEventHeaders.value(record, name), record.topic(), record.offset(), record.timestamp(),
                record.key(), record.value(), mapper);
    }

    /**
     * An event delivered by a Spring Cloud Stream binding: the body arrives as bytes (the binding
     * does no conversion), the CloudEvents attributes as message headers.
     *
     * @param topic  the topic it was read from (the binding's destination when the binder names none)
     * @param offset its offset, or -1 when the binder knows none (the test binder)
     */
    public static InboundEvent from(Message<byte[]> message, String topic, long offset, ObjectMapper mapper) {
        MessageHeaders headers = message.getHeaders();
        Object ts = headers.get(org.springframework.kafka.support.KafkaHeaders.RECEIVED_TIMESTAMP);
        long timestamp = ts instanceof Number n ? n.longValue() : headers.getTimestamp() == null ? 0L : headers.getTimestamp();
        byte[] body = message.getPayload();
        return read(name -> CloudEventHeaders.value(headers, name), topic, offset, timestamp,
                CloudEventHeaders.value(headers, org.springframework.kafka.support.KafkaHeaders.RECEIVED_KEY),
                body == null ? null : new String(body, java.nio.charset.StandardCharsets.UTF_8), mapper);
    }

    private static InboundEvent read(java.util.function.UnaryOperator<String> header, String topic, long offset,
                                     long timestamp, String key, String value, ObjectMapper mapper) {
        String id = header.apply(CloudEventHeaders.ID);
        String type = header.apply(CloudEventHeaders.TYPE);
        if (id == null || type == null) {
            throw new PoisonEvent("missing ce_id or ce_type header on " + topic + "@" + offset, null);
        }
        Instant time;
        try {
            String t = header.apply(CloudEventHeaders.TIME);
            time = t == null ? Instant.ofEpochMilli(timestamp) : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new PoisonEvent("bad ce_time on event " + id, e);
        }
        JsonNode body;
        try {
            body = mapper.readTree(value == null ? "null" : value);
        } catch (Exception e) {
            throw new PoisonEvent("body of event " + id + " is not JSON", e);
        }
        if (body == null || !body.isObject()) {
            throw new PoisonEvent("body of event " + id + " is not a JSON object", null);
        }
        return new InboundEvent(id, type, header.apply(CloudEventHeaders.SOURCE), time, topic, key, body,
                header.apply(CloudEventHeaders.TRACEPARENT), header.apply(CloudEventHeaders.REQUEST_ID), mapper);
    }
}
