package clinic.contracts.callback;

import java.time.Instant;

/**
 * A claimed callback task went back to the open list: its holder handed it back, or an admin
 * released a colleague's claim. callback-service, key = callbackId, {@code callback.released.v1}.
 * Staff usernames only; nothing of the caller.
 */
public record CallbackReleased(String callbackId, String releasedBy, String previousHolder, Instant releasedAt,
                               Instant requestedAt) {}
