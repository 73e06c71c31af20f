package clinic.contracts.notification;

/** Topic and wire types of notification-service. Key of every record: the notification id. */
public final class NotificationTopics {
    private NotificationTopics() {}

    public static final String TOPIC = "notification.events";
    public static final String SENT = "notification.sent.v1";
    public static final String FAILED = "notification.failed.v1";
}
