package clinic.offer.promo;

import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * booking-service's events that settle a reservation: a confirmed booking makes it a
 * redemption, a cancelled one gives its place back. Bookings without a promo code are ignored.
 */
@Component
class BookingEvents implements EventHandler {
    private final ReservationService reservations;

    BookingEvents(ReservationService reservations) {
        this.reservations = reservations;
    }

    @Override
    public Collection<String> topics() {
        return List.of(BookingTopics.TOPIC);
    }

    @Override
    public String consumerName() {
        return "booking-events";
    }

    /** Only bookings that used a promo code touch the ledger; most bookings skip the transaction. */
    @Override
    public boolean wants(InboundEvent e) {
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> {
                BookingConfirmed b = e.payloadAs(BookingConfirmed.class);
                yield b.offerId() != null || b.promoCode() != null;
            }
            case BookingTopics.CANCELLED -> {
                BookingCancelled b = e.payloadAs(BookingCancelled.class);
                yield b.offerId() != null || b.promoCode() != null;
            }
            default -> false;
        };
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> onBookingConfirmed(e.payloadAs(BookingConfirmed.class), e);
            case BookingTopics.CANCELLED -> onBookingCancelled(e.payloadAs(BookingCancelled.class), e);
            default -> Mono.empty();
        };
    }

    private Mono<Void> onBookingConfirmed(BookingConfirmed b, InboundEvent e) {
        if (b.offerId() == null && b.promoCode() == null) return Mono.empty();
        return reservations.confirm(bookingId(b.bookingId(), e), b.reference());
    }

    private Mono<Void> onBookingCancelled(BookingCancelled b, InboundEvent e) {
        if (b.offerId() == null && b.promoCode() == null) return Mono.empty();
        return reservations.release(bookingId(b.bookingId(), e), Reservation.BOOKING_CANCELLED).then();
    }

    private static UUID bookingId(String id, InboundEvent e) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has no valid bookingId: " + id, ex);
        }
    }
}
