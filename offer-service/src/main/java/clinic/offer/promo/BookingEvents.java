package clinic.offer.promo;

import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingConfirmedV2;
import clinic.contracts.booking.BookingCancelledV2;
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

    /** What the ledger needs of a booking event; the same in v1 and v2 (v2 only drops personal data). */
    private record Promo(boolean confirmed, String bookingId, String reference, String offerId, String promoCode) {
        boolean used() {
            return offerId != null || promoCode != null;
        }
    }

    private static Promo promo(InboundEvent e) {
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> {
                BookingConfirmed b = e.payloadAs(BookingConfirmed.class);
                yield new Promo(true, b.bookingId(), b.reference(), b.offerId(), b.promoCode());
            }
            case BookingTopics.CONFIRMED_V2 -> {
                BookingConfirmedV2 b = e.payloadAs(BookingConfirmedV2.class);
                yield new Promo(true, b.bookingId(), b.reference(), b.offerId(), b.promoCode());
            }
            case BookingTopics.CANCELLED -> {
                BookingCancelled b = e.payloadAs(BookingCancelled.class);
                yield new Promo(false, b.bookingId(), b.reference(), b.offerId(), b.promoCode());
            }
            case BookingTopics.CANCELLED_V2 -> {
                BookingCancelledV2 b = e.payloadAs(BookingCancelledV2.class);
                yield new Promo(false, b.bookingId(), b.reference(), b.offerId(), b.promoCode());
            }
            default -> null;
        };
    }

    /** Only bookings that used a promo code touch the ledger; most bookings skip the transaction. */
    @Override
    public boolean wants(InboundEvent e) {
        Promo p = promo(e);
        return p != null && p.used();
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        Promo p = promo(e);
        if (p == null || !p.used()) return Mono.empty();
        UUID id = bookingId(p.bookingId(), e);
        return p.confirmed() ? reservations.confirm(id, p.reference())
                : reservations.release(id, Reservation.BOOKING_CANCELLED).then();
    }

    private static UUID bookingId(String id, InboundEvent e) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException ex) {
            throw new PoisonEvent(e.type() + " " + e.id() + " has no valid bookingId: " + id, ex);
        }
    }
}
