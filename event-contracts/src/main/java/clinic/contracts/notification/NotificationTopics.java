package clinic.contracts.notification;

/**
 * Topic and wire types of notification-service. Key: the notification id, except
 * {@link #NEWSLETTER_CONFIRMED}, keyed by the subscription id.
 */
public final class NotificationTopics {
    private NotificationTopics() {}

    public static final String TOPIC = "notification.events";
    public static final String SENT = "notification.sent.v1";
    public static final String FAILED = "notification.failed.v1";
    public static final String NEWSLETTER_CONFIRMED = "newsletter.confirmed.v1";
}
