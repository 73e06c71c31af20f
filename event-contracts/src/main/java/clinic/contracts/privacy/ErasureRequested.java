package clinic.contracts.privacy;

import java.time.Instant;

/**
 * An ADMIN asked for a person's data to be erased. booking-service, {@code privacy.events}, key =
 * erasureId, {@code privacy.erasure_requested.v1}. Deliberately without the address (topics are kept
 * for years and cannot be edited): each service fetches it once from
 * {@code GET /internal/privacy/erasures/{erasureId}} while the request is open.
 */
public record ErasureRequested(
        String erasureId,
        Instant requestedAt) {}
