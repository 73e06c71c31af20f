package clinic.contracts.callback;

import java.time.Instant;

/**
 * A callback task was closed. callback-service, key = callbackId, {@code callback.completed.v2}:
 * version 1 without the staff's free-text note (docs/adr/0007). {@code outcome}: BOOKED,
 * INFO_GIVEN, NOT_INTERESTED or UNREACHABLE; {@code bookingReference} optional, only with BOOKED.
 */
public record CallbackCompletedV2(
        String callbackId,
        String outcome,
        String by,
        Instant completedAt,
        Instant requestedAt,
        String locationId,
        int attempts,
        String bookingReference) {}
