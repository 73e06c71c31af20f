package clinic.callback.task;

import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingConfirmedV2;
import clinic.contracts.booking.BookingTopics;
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
 * Links a staff booking to the callback it answered: a {@code booking.confirmed.v2} (or, on a replay
 * of a topic written before contract 1.1, a {@code booking.confirmed.v1}) carrying a
 * {@code callbackId} completes that callback BOOKED with the booking's reference, server-side, so the
 * desk need not make a second call (and a browser closed between the two cannot leave the card
 * open). The kit's inbox makes it once per event; a task already completed is left alone. Every
 * other booking is declined before any transaction.
 */
@Component
class BookingEvents implements EventHandler {
    private static final Logger log = LoggerFactory.getLogger(BookingEvents.class);

    private final TaskService tasks;

    BookingEvents(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public Collection<String> topics() {
        return List.of(BookingTopics.TOPIC);
    }

    @Override
    public String consumerName() {
        return "booking-events";
    }

    @Override
    public boolean wants(InboundEvent e) {
        Link link = link(e);
        return link != null && link.callbackId() != null;
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        Link b = link(e);
        if (b == null || b.callbackId() == null) return Mono.empty();
        UUID id;
        try {
            id = UUID.fromString(b.callbackId());
        } catch (IllegalArgumentException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has a callbackId that is not a UUID", ex);
        }
        String who = b.bookedBy() == null ? "system:booking-service" : b.bookedBy();
        return tasks.completeBooked(id, who, b.reference())
                .doOnNext(done -> log.info(done ? "callback {} completed BOOKED by booking {}"
                        : "callback {} already completed (or unknown); booking {} changes nothing", id, b.reference()))
                .then();
    }

    /** The three fields this consumer reads; v1 and v2 carry them alike. Null for every other type. */
    private record Link(String callbackId, String bookedBy, String reference) {}

    private static Link link(InboundEvent e) {
        if (BookingTopics.CONFIRMED_V2.equals(e.type())) {
            BookingConfirmedV2 b = e.payloadAs(BookingConfirmedV2.class);
            return new Link(b.callbackId(), b.bookedBy(), b.reference());
        }
        if (BookingTopics.CONFIRMED.equals(e.type())) {
            BookingConfirmed b = e.payloadAs(BookingConfirmed.class);
            return new Link(b.callbackId(), b.bookedBy(), b.reference());
        }
        return null;
    }
}
