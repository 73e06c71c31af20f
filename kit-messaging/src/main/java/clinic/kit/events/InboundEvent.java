package clinic.kit.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One event as a consumer sees it: its CloudEvents attributes and its JSON body.
 * {@link #payloadAs(Class)} reads the body into the producer's record from event-contracts.
 * Given to a handler, {@link #traceparent()} is the kit's consumer span (see InboxListeners), not
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
        String id = CloudEventHeaders.value(record, CloudEventHeaders.ID);
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        if (id == null || type == null) {
            throw new PoisonEvent("missing ce_id or ce_type header on " + record.topic() + "@" + record.offset(), null);
        }
        Instant time;
        try {
            String t = CloudEventHeaders.value(record, CloudEventHeaders.TIME);
            time = t == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new PoisonEvent("bad ce_time on event " + id, e);
        }
        JsonNode body;
        try {
            body = mapper.readTree(record.value() == null ? "null" : record.value());
        } catch (Exception e) {
            throw new PoisonEvent("body of event " + id + " is not JSON", e);
        }
        if (body == null || !body.isObject()) {
            throw new PoisonEvent("body of event " + id + " is not a JSON object", null);
        }
        return new InboundEvent(id, type, CloudEventHeaders.value(record, CloudEventHeaders.SOURCE), time, record.topic(),
                record.key(), body, CloudEventHeaders.value(record, CloudEventHeaders.TRACEPARENT),
                CloudEventHeaders.value(record, CloudEventHeaders.REQUEST_ID), mapper);
    }
}
