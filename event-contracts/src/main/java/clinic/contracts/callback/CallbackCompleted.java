package clinic.contracts.callback;

import java.time.Instant;

/**
 * A callback task was closed. callback-service, key = callbackId, {@code callback.completed.v1}.
 * {@code outcome}: BOOKED, INFO_GIVEN, NOT_INTERESTED or UNREACHABLE.
 */
public record CallbackCompleted(
        String callbackId,
        String outcome,
        String note,
        String by,
        Instant completedAt,
        Instant requestedAt,
        String locationId,
        int attempts) {}
