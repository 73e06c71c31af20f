package clinic.kit.outbox;

import clinic.kit.tx.AfterCommit;
import clinic.kit.web.RequestContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Appends an event to the outbox table. Must be called inside the transaction that makes the
 * state change, so the change and its event commit or roll back together; outside a transaction
 * it fails rather than silently publishing a change that may never commit.
 */
public class Outbox {
    private final DatabaseClient db;
    private final ObjectMapper mapper;
    private final String source;
    private final OutboxRelay relay;
    private final Clock clock;

    public Outbox(DatabaseClient db, ObjectMapper mapper, String source, OutboxRelay relay, Clock clock) {
        this.db = db;
        this.mapper = mapper;
        this.source = source;
        this.relay = relay;
        this.clock = clock;
    }

    /**
     * @param topic the producer's topic, e.g. {@code booking.events}
     * @param key   the aggregate id: events of one aggregate stay in order on one partition
     * @param type  the logical wire type, e.g. {@code booking.confirmed.v1}
     * @return the new event's id ({@code ce_id})
     */
    public Mono<UUID> append(String topic, String key, String type, Object payload) {
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Mono.error(new IllegalArgumentException("event payload is not serialisable: " + type, e));
        }
        UUID eventId = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return AfterCommit.run(relay::wakeUp)
                .onErrorMap(e -> new IllegalStateException(
                        "Outbox.append(" + type + ") must run inside the transaction of the state change", e))
                .then(RequestContext.current())
                .flatMap(ctx -> db.sql("""
                        insert into outbox_event
                          (event_id, topic, event_key, event_type, source, occurred_at, payload, traceparent, request_id)
                        values (:eventId, :topic, :key, :type, :source, :occurredAt, :payload, :traceparent, :requestId)
                        """)
                        .bind("eventId", eventId)
                        .bind("topic", topic)
                        .bind("key", key)
                        .bind("type", type)
                        .bind("source", source)
                        .bind("occurredAt", now)
                        .bind("payload", json)
                        .bind("traceparent", ctx.traceparentOr(""))
                        .bind("requestId", ctx.requestIdOr(""))
                        .fetch().rowsUpdated())
                .thenReturn(eventId);
    }
}
