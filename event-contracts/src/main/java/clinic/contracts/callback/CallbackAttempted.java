package clinic.contracts.callback;

import java.time.Instant;

/**
 * Staff tried to call. callback-service, key = callbackId, {@code callback.attempted.v1}.
 * {@code outcome}: NO_ANSWER, VOICEMAIL, WRONG_NUMBER or REACHED. {@code attemptNumber} starts at 1.
 */
public record CallbackAttempted(
        String callbackId,
        int attemptNumber,
        String outcome,
        String note,
        String by,
        Instant attemptedAt,
        Instant requestedAt,
        String locationId) {}
