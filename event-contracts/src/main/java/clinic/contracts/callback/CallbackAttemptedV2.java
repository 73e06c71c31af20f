package clinic.contracts.callback;

import java.time.Instant;

/**
 * Staff tried to call. callback-service, key = callbackId, {@code callback.attempted.v2}: version 1
 * without the staff's free-text note, which may name or describe the customer (docs/adr/0007).
 * {@code outcome}: NO_ANSWER, VOICEMAIL, WRONG_NUMBER or REACHED. {@code attemptNumber} starts at 1.
 */
public record CallbackAttemptedV2(
        String callbackId,
        int attemptNumber,
        String outcome,
        String by,
        Instant attemptedAt,
        Instant requestedAt,
        String locationId) {}
