package clinic.contracts.callback;

import java.time.Instant;

/**
 * A callback task was closed. callback-service, key = callbackId, {@code callback.completed.v1}.
 * {@code outcome}: BOOKED, INFO_GIVEN, NOT_INTERESTED or UNREACHABLE.
 * {@code bookingReference}: optional, only with BOOKED, the booking the call ended in (e.g.
 * {@code BK-7K3M9Q}) when staff gave it. Added to v1 as a new optional field, which is compatible
 * both ways: events written before it read as null, and consumers ignore fields they do not know.
 */
public record CallbackCompleted(
        String callbackId,
        String outcome,
        String note,
        String by,
        Instant completedAt,
        Instant requestedAt,
        String locationId,
        int attempts,
        String bookingReference) {}
