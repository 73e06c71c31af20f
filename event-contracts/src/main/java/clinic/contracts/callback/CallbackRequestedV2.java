package clinic.contracts.callback;

import java.time.Instant;

/**
 * A customer asked to be called back. callback-service, {@code callback.events}, key = callbackId,
 * {@code callback.requested.v2}: version 1 without name, phone, email and message
 * (docs/adr/0007); a consumer that needs them asks callback-service by id
 * ({@code GET /internal/callbacks/{id}/contact}). {@code emailGiven} says whether there is an
 * address to write to, {@code marketingOptIn} whether the person asked for the newsletter;
 * {@code policyVersion}: the terms-and-privacy version accepted at {@code requestedAt}.
 */
public record CallbackRequestedV2(
        String callbackId,
        String locationId,
        String preferredTime,
        boolean emailGiven,
        boolean marketingOptIn,
        String policyVersion,
        Instant requestedAt,
        Instant dueAt) {}
