package clinic.analytics.callbacks;

import clinic.contracts.callback.CallbackAttempted;
import clinic.contracts.callback.CallbackClaimed;
import clinic.contracts.callback.CallbackCompleted;
import clinic.contracts.callback.CallbackRequested;
import clinic.contracts.callback.CallbackSlaBreached;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Merges callback events into {@code callback_fact}. Each column only ever keeps the earliest
 * value reported (PostgreSQL's {@code least} ignores nulls), so the merge is commutative: a
 * completion before the request, or an attempt replayed twice, gives the same row.
 */
@Component
class CallbackEvents implements EventHandler {
    private final DatabaseClient db;

    CallbackEvents(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Collection<String> topics() {
        return List.of(CallbackTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case CallbackTopics.REQUESTED -> {
                CallbackRequested c = e.payloadAs(CallbackRequested.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), null, null, null));
            }
            case CallbackTopics.CLAIMED -> {
                CallbackClaimed c = e.payloadAs(CallbackClaimed.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), null, null, null, null));
            }
            case CallbackTopics.ATTEMPTED -> {
                CallbackAttempted c = e.payloadAs(CallbackAttempted.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), c.attemptedAt(), null, null));
            }
            case CallbackTopics.COMPLETED -> {
                CallbackCompleted c = e.payloadAs(CallbackCompleted.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), null, c.completedAt(), null));
            }
            // v2 drops personal data and notes, which analytics never read: the same facts either way.
            case CallbackTopics.REQUESTED_V2 -> {
                var c = e.payloadAs(clinic.contracts.callback.CallbackRequestedV2.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), null, null, null));
            }
            case CallbackTopics.ATTEMPTED_V2 -> {
                var c = e.payloadAs(clinic.contracts.callback.CallbackAttemptedV2.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), c.attemptedAt(), null, null));
            }
            case CallbackTopics.COMPLETED_V2 -> {
                var c = e.payloadAs(clinic.contracts.callback.CallbackCompletedV2.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), null, c.completedAt(), null));
            }
            case CallbackTopics.SLA_BREACHED -> {
                CallbackSlaBreached c = e.payloadAs(CallbackSlaBreached.class);
                yield merge(e, new Facts(c.callbackId(), c.requestedAt(), c.locationId(), null, null, c.breachedAt()));
            }
            default -> Mono.empty();
        };
    }

    private record Facts(String callbackId, Instant requestedAt, String locationId, Instant attemptedAt,
                         Instant completedAt, Instant breachedAt) {}

    private Mono<Void> merge(InboundEvent e, Facts f) {
        if (f.callbackId() == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks callbackId", null);
        }
        GenericExecuteSpec spec = db.sql("""
                insert into callback_fact (callback_id, requested_at, location_id, first_attempt_at, completed_at,
                    sla_breached_at)
                values (:id, :requestedAt, :locationId, :attemptedAt, :completedAt, :breachedAt)
                on conflict (callback_id) do update set
                    requested_at = least(callback_fact.requested_at, excluded.requested_at),
                    location_id = coalesce(callback_fact.location_id, excluded.location_id),
                    first_attempt_at = least(callback_fact.first_attempt_at, excluded.first_attempt_at),
                    completed_at = least(callback_fact.completed_at, excluded.completed_at),
                    sla_breached_at = least(callback_fact.sla_breached_at, excluded.sla_breached_at)
                """).bind("id", f.callbackId());
        spec = bindOrNull(spec, "requestedAt", f.requestedAt(), Instant.class);
        spec = bindOrNull(spec, "locationId", f.locationId(), String.class);
        spec = bindOrNull(spec, "attemptedAt", f.attemptedAt(), Instant.class);
        spec = bindOrNull(spec, "completedAt", f.completedAt(), Instant.class);
        spec = bindOrNull(spec, "breachedAt", f.breachedAt(), Instant.class);
        return spec.then();
    }

    private static GenericExecuteSpec bindOrNull(GenericExecuteSpec spec, String name, Object value, Class<?> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }
}
