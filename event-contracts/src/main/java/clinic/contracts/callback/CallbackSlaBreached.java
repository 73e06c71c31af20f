package clinic.contracts.callback;

import java.time.Instant;

/**
 * A callback task passed its due time without being completed; published once per task.
 * callback-service, key = callbackId, {@code callback.sla_breached.v1}.
 */
public record CallbackSlaBreached(
        String callbackId,
        String locationId,
        Instant requestedAt,
        Instant dueAt,
        Instant breachedAt) {}
