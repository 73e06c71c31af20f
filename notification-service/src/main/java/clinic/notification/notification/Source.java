package clinic.notification.notification;

import clinic.kit.events.InboundEvent;

/** What a notification answers to: an inbound event, or an internal occasion such as a due reminder. */
public record Source(String eventId, String eventType) {
    public static Source of(InboundEvent e) {
        return new Source(e.id(), e.type());
    }
}
