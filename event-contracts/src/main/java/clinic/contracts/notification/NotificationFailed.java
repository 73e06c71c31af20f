package clinic.contracts.notification;

import java.time.Instant;

/**
 * A message could not be delivered after every attempt. notification-service,
 * {@code notification.events}, key = notificationId, {@code notification.failed.v1}.
 */
public record NotificationFailed(
        String notificationId,
        String sourceEventId,
        String sourceEventType,
        String template,
        String channel,
        int attempts,
        String reason,
        Instant createdAt,
        Instant failedAt) {}
