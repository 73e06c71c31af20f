package clinic.booking.privacy;

import clinic.contracts.privacy.ErasureCompleted;
import clinic.contracts.privacy.ErasureRequested;
import clinic.contracts.privacy.PrivacyTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * booking-service on {@code privacy.events}, once per event through the kit's inbox: a request erases
 * its own bookings of the person (and publishes its completion); each service's completion marks that
 * service DONE on the request. A completion naming an unknown service is dead-lettered (PoisonEvent):
 * it could only come from a bug, and counting it would end a request early.
 */
@Component
class ErasureEvents implements EventHandler {
    private static final Logger log = LoggerFactory.getLogger(ErasureEvents.class);

    private final Erasures erasures;

    ErasureEvents(Erasures erasures) {
        this.erasures = erasures;
    }

    @Override
    public Collection<String> topics() {
        return List.of(PrivacyTopics.TOPIC);
    }

    @Override
    public String consumerName() {
        return "privacy-events";
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case PrivacyTopics.ERASURE_REQUESTED -> {
                UUID id = id(e, e.payloadAs(ErasureRequested.class).erasureId());
                yield erasures.eraseOwnRows(id).doOnSuccess(v -> log.info("erasure {}: bookings erased", id));
            }
            case PrivacyTopics.ERASURE_COMPLETED -> {
                ErasureCompleted done = e.payloadAs(ErasureCompleted.class);
                if (!PrivacyTopics.ERASING_SERVICES.contains(done.service())) {
                    throw new PoisonEvent(e.type() + " " + e.id() + " names an unknown service", null);
                }
                UUID id = id(e, done.erasureId());
                yield erasures.markDone(id, done.service())
                        .doOnSuccess(v -> log.info("erasure {}: {} reported done", id, done.service()));
            }
            default -> Mono.empty();
        };
    }

    private static UUID id(InboundEvent e, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has an erasureId that is not a UUID", ex);
        }
    }
}
