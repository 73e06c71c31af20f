package clinic.notification.dispatch;

import java.time.Instant;
import java.util.UUID;

/**
 * A notification this instance has claimed for one delivery attempt ({@code attempts} counts it);
 * {@code traceparent} and {@code requestId} are those of the event that caused it (null if none);
 * {@code senderName} the From display name when the mail is about one clinic (null: the configured one).
 */
public record Claimed(
        UUID id,
        String sourceEventId,
        String sourceEventType,
        String template,
        String channel,
        String recipient,
        boolean marketing,
        String subject,
        String text,
        String html,
        String attachmentName,
        String attachmentType,
        String attachment,
        String unsubscribeUrl,
        int attempts,
        Instant createdAt,
        String traceparent,
        String requestId,
        String senderName) {}
