package clinic.contracts.privacy;

/**
 * One service has erased (or anonymised) everything it held about the person of an erasure.
 * Published by that service, {@code privacy.events}, key = erasureId,
 * {@code privacy.erasure_completed.v1}; booking-service marks the service DONE on the request.
 *
 * @param service the publishing service's name (one of {@link PrivacyTopics#ERASING_SERVICES})
 */
public record ErasureCompleted(
        String erasureId,
        String service) {}
