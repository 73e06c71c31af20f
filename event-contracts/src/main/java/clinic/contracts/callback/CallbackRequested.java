package clinic.contracts.callback;

import java.time.Instant;

/**
 * A customer asked to be called back. callback-service, {@code callback.events}, key = callbackId,
 * {@code callback.requested.v1}. Phone is E.164. {@code marketingOptIn} with an email starts a
 * newsletter subscription that still needs double opt-in (notification-service).
 * {@code policyVersion}: the terms-and-privacy version accepted at {@code requestedAt}.
 */
public record CallbackRequested(
        String callbackId,
        String name,
        String phone,
        String email,
        String locationId,
        String preferredTime,
        String message,
        boolean marketingOptIn,
        String policyVersion,
        Instant requestedAt,
        Instant dueAt) {}
