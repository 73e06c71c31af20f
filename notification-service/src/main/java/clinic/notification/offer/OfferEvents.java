package clinic.notification.offer;

import clinic.contracts.offer.OfferLaunched;
import clinic.contracts.offer.OfferTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.inbox.EventHandler;
import clinic.notification.newsletter.Newsletter;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import clinic.notification.template.Formats;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

@Component
class OfferEvents implements EventHandler {
    static final String TEMPLATE = "offer-announcement";
    private final Notifications notifications;
    private final Newsletter newsletter;
    private final Formats formats;

    OfferEvents(Notifications notifications, Newsletter newsletter, Formats formats) {
        this.notifications = notifications;
        this.newsletter = newsletter;
        this.formats = formats;
    }

    @Override
    public Collection<String> topics() {
        return List.of(OfferTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        if (!OfferTopics.LAUNCHED.equals(e.type())) return Mono.empty();
        OfferLaunched o = e.payloadAs(OfferLaunched.class);
        if (!o.announce()) return Mono.empty();
        Source source = Source.of(e);
        String saving = o.percentOff() != null ? o.percentOff() + "% off"
                : o.amountOffPence() != null ? Formats.money(o.amountOffPence()) + " off" : "A saving";
        // endsAt is exclusive: the last day shown is the one before it.
        String until = o.endsAt() == null ? "" : formats.date(o.endsAt().minus(Duration.ofNanos(1)));
        String from = o.startsAt() == null ? "" : formats.date(o.startsAt());
        // Read the list first: one transaction is one connection, which cannot stream and insert at once.
        return newsletter.confirmedSubscribers().collectList()
                .flatMapMany(reactor.core.publisher.Flux::fromIterable)
                .concatMap(s -> notifications.marketingEmail(source, TEMPLATE, s.email(), Map.of(
                        "title", nullToEmpty(o.title()),
                        "description", nullToEmpty(o.description()),
                        "saving", saving,
                        "code", nullToEmpty(o.code()),
                        "from", from,
                        "until", until,
                        "unsubscribeUrl", newsletter.unsubscribePageUrl(s.unsubscribeToken())),
                        newsletter.unsubscribeUrl(s.unsubscribeToken())))
                .then();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
