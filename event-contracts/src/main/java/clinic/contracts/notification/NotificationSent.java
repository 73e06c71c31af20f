package clinic.contracts.notification;

import java.time.Instant;

/**
 * A message was accepted by the mail server (or SMS provider). notification-service,
 * {@code notification.events}, key = notificationId, {@code notification.sent.v1}.
 * No recipient address: analytics needs counts, not personal data.
 * {@code channel}: EMAIL or SMS. {@code sourceEventId}: the event that caused it.
 */
public record NotificationSent(
        String notificationId,
        String sourceEventId,
        String sourceEventType,
        String template,
        String channel,
        int attempts,
        Instant createdAt,
        Instant sentAt) {}
