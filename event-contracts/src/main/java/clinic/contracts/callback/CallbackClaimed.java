package clinic.contracts.callback;

import java.time.Instant;

/** A staff member took a callback task. callback-service, key = callbackId, {@code callback.claimed.v1}. */
public record CallbackClaimed(String callbackId, String claimedBy, Instant claimedAt, Instant requestedAt) {}
