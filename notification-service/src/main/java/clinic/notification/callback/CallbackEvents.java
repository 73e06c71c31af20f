package clinic.notification.callback;

import clinic.contracts.callback.CallbackRequested;
import clinic.contracts.callback.CallbackRequestedV2;
import clinic.contracts.callback.CallbackTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.notification.config.NotificationProperties;
import clinic.notification.newsletter.Newsletter;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import clinic.notification.owners.Owners;
import clinic.notification.template.Formats;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

@Component
class CallbackEvents implements EventHandler {
    private final Notifications notifications;
    private final Newsletter newsletter;
    private final Formats formats;
    private final NotificationProperties props;
    private final Owners owners;

    CallbackEvents(Notifications notifications, Newsletter newsletter, Formats formats, NotificationProperties props,
                   Owners owners) {
        this.owners = owners;
        this.notifications = notifications;
        this.newsletter = newsletter;
        this.formats = formats;
        this.props = props;
    }

    @Override
    public Collection<String> topics() {
        return List.of(CallbackTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        Source source = Source.of(e);
        return switch (e.type()) {
            case CallbackTopics.REQUESTED -> {
                CallbackRequested c = e.payloadAs(CallbackRequested.class);
                if (c.callbackId() == null || c.phone() == null) {
                    throw new PoisonEvent(e.type() + " " + e.id() + " lacks callbackId or phone", null);
                }
                yield requested(source, new Request(c.callbackId(), c.name(), c.phone(), c.email(), c.message(),
                        c.locationId(), c.preferredTime(), c.marketingOptIn(), c.policyVersion(), c.requestedAt(),
                        c.dueAt()));
            }
            // Version 2 carries ids only: who asked, and what they wrote, come from callback-service
            // now (docs/adr/0007). Nothing is sent for a request whose personal data was erased.
            case CallbackTopics.REQUESTED_V2 -> {
                CallbackRequestedV2 c = e.payloadAs(CallbackRequestedV2.class);
                if (c.callbackId() == null) throw new PoisonEvent(e.type() + " " + e.id() + " lacks callbackId", null);
                yield owners.callback(c.callbackId()).flatMap(who -> requested(source, new Request(c.callbackId(),
                        who.name(), who.phone(), who.email(), who.message(), c.locationId(), c.preferredTime(),
                        c.marketingOptIn(), c.policyVersion(), c.requestedAt(), c.dueAt())));
            }
            default -> Mono.empty();
        };
    }

    /** A callback request as the mails need it, from either version. */
    private record Request(String callbackId, String name, String phone, String email, String message,
                           String locationId, String preferredTime, boolean marketingOptIn, String policyVersion,
                           java.time.Instant requestedAt, java.time.Instant dueAt) {}

    private Mono<Void> requested(Source source, Request c) {
        boolean hasEmail = c.email() != null && !c.email().isBlank();
        Map<String, String> v = new HashMap<>();
        v.put("name", c.name() == null ? "" : c.name());
        v.put("phone", c.phone() == null ? "" : c.phone());
        v.put("email", hasEmail ? c.email() : "not given");
        v.put("location", c.locationId() == null ? "any location" : c.locationId());
        v.put("preferredTime", c.preferredTime() == null ? "anytime" : c.preferredTime());
        v.put("message", c.message() == null ? "" : c.message());
        v.put("requestedAt", c.requestedAt() == null ? "" : formats.dateTime(c.requestedAt()));
        v.put("dueAt", c.dueAt() == null ? "as soon as possible" : formats.dateTime(c.dueAt()));
        v.put("callbackId", c.callbackId());

        Mono<Boolean> receipt = hasEmail
                ? notifications.email(source, "callback-received", c.email().trim(), v, null) : Mono.just(false);
        Mono<Boolean> staff = notifications.email(source, "callback-task", props.staffInboxFor(c.locationId()), v, null);
        Mono<Void> subscription = c.marketingOptIn() && hasEmail
                ? newsletter.subscribe(c.email(), "callback", c.policyVersion()) : Mono.empty();
        return receipt.then(staff).then(subscription);
    }
}
