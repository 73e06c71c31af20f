package clinic.kit.inbox;

import clinic.kit.events.InboundEvent;
import java.util.Collection;
import reactor.core.publisher.Mono;

/**
 * A service's reaction to other services' events. Implement it as a bean; the kit subscribes it
 * to its topics with the service's consumer group, and calls {@link #handle} inside a database
 * transaction that also records the event id as processed, so a redelivered event has no second
 * effect. Throw {@link clinic.kit.events.PoisonEvent} for an event that can never succeed (it
 * goes to the dead-letter topic at once); any other error is retried with backoff, then
 * dead-lettered with the reason.
 */
public interface EventHandler {

    /** Topics to read, e.g. {@code booking.events}. */
    Collection<String> topics();

    /** Applies the event. Events of types this handler does not care about: return {@code Mono.empty()}. */
    Mono<Void> handle(InboundEvent event);

    /**
     * Whether this event can have any effect here. An event it cannot (say, a booking without a
     * promo code, to the promo ledger) is acknowledged without a database transaction: nothing to
     * apply means nothing to deduplicate. On a busy topic most events may be such; the default,
     * every event, is always safe.
     */
    default boolean wants(InboundEvent event) {
        return true;
    }

    /** Name recorded with processed events; distinct per handler within a service. */
    default String consumerName() {
        return getClass().getSimpleName();
    }
}
