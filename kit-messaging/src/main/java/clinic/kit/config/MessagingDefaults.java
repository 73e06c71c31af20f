package clinic.kit.config;

/** Adds kit-messaging's {@code clinic-kit-defaults-messaging.properties} (Kafka clients, topics) at the lowest precedence. */
public class MessagingDefaults extends KitDefaults {
    public MessagingDefaults() {
        super("clinic-kit-defaults-messaging.properties");
    }
}
