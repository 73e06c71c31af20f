package clinic.notification.notification.web;

import java.time.Instant;

/** One line of the staff delivery log. {@code status} is PENDING before the first attempt. */
public record NotificationView(
        String id,
        String eventId,
        String eventType,
        String channel,
        String recipient,
        String template,
        String status,
        int attempts,
        Instant createdAt,
        Instant sentAt) {}
