package clinic.analytics.bookings;

import clinic.analytics.config.ClinicTime;
import clinic.contracts.booking.BookingAttended;
import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingNoShow;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingRescheduled;
import clinic.contracts.booking.BookingTopics;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Keeps {@code booking_fact} at the newest state of each booking, whatever order events come in. */
@Component
class BookingEvents implements EventHandler {
    private static final String CONFIRMED = "CONFIRMED";
    private static final String CANCELLED = "CANCELLED";

    private final DatabaseClient db;
    private final BookingDays days;

    BookingEvents(DatabaseClient db, BookingDays days) {
        this.db = db;
        this.days = days;
    }

    @Override
    public Collection<String> topics() {
        return List.of(BookingTopics.TOPIC);
    }

    /** The booking's current state, then (issue 25) the days it was made and cancelled. */
    @Override
    public Mono<Void> handle(InboundEvent e) {
        return currentState(e).then(Mono.defer(() -> days.record(e)));
    }

    private Mono<Void> currentState(InboundEvent e) {
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> onConfirmed(e, e.payloadAs(BookingConfirmed.class));
            case BookingTopics.RESCHEDULED -> onRescheduled(e, e.payloadAs(BookingRescheduled.class));
            case BookingTopics.CANCELLED -> onCancelled(e, e.payloadAs(BookingCancelled.class));
            // v2 drops only personal data, which analytics never read: the same facts either way.
            case BookingTopics.CONFIRMED_V2 -> {
                var b = e.payloadAs(clinic.contracts.booking.BookingConfirmedV2.class);
                yield upsert(e, 0, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(),
                        b.treatmentId(), b.totalPence(), b.discountPence(), b.promoCode(), b.offerId(), CONFIRMED));
            }
            case BookingTopics.RESCHEDULED_V2 -> {
                var b = e.payloadAs(clinic.contracts.booking.BookingRescheduledV2.class);
                yield upsert(e, 1, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(),
                        b.treatmentId(), b.totalPence(), b.discountPence(), b.promoCode(), null, CONFIRMED));
            }
            case BookingTopics.CANCELLED_V2 -> {
                var b = e.payloadAs(clinic.contracts.booking.BookingCancelledV2.class);
                yield upsert(e, 2, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(),
                        b.treatmentId(), b.totalPence(), b.discountPence(), b.promoCode(), b.offerId(), CANCELLED));
            }
            case BookingTopics.ATTENDED -> {
                BookingAttended a = e.payloadAs(BookingAttended.class);
                yield attendance(e, a.reference(), a.locationId(), a.startsAt(), "ATTENDED", a.recordedAt());
            }
            case BookingTopics.NO_SHOW -> {
                BookingNoShow a = e.payloadAs(BookingNoShow.class);
                yield attendance(e, a.reference(), a.locationId(), a.startsAt(), "NO_SHOW", a.recordedAt());
            }
            default -> Mono.empty();
        };
    }

    private Mono<Void> onConfirmed(InboundEvent e, BookingConfirmed b) {
        return upsert(e, 0, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(), b.treatmentId(),
                b.totalPence(), b.discountPence(), b.promoCode(), b.offerId(), CONFIRMED));
    }

    private Mono<Void> onRescheduled(InboundEvent e, BookingRescheduled b) {
        // The reschedule event does not repeat the offer id; the confirmed event fills it in.
        return upsert(e, 1, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(), b.treatmentId(),
                b.totalPence(), b.discountPence(), b.promoCode(), null, CONFIRMED));
    }

    private Mono<Void> onCancelled(InboundEvent e, BookingCancelled b) {
        return upsert(e, 2, new State(b.reference(), b.bookingId(), b.startsAt(), b.locationId(), b.treatmentId(),
                b.totalPence(), b.discountPence(), b.promoCode(), b.offerId(), CANCELLED));
    }

    private record State(String reference, String bookingId, Instant startsAt, String locationId,
                         String treatmentId, long totalPence, long discountPence, String promoCode,
                         String offerId, String status) {}

    /**
     * One conditional upsert: the row takes this event's state only if the event is newer than the
     * one the row reflects (ties broken by rank, so a cancellation stamped with the same instant
     * wins). A second statement fills the offer id, which an older event may be the only one to carry.
     */
    private Mono<Void> upsert(InboundEvent e, int rank, State s) {
        if (s.reference() == null || s.bookingId() == null || s.startsAt() == null
                || s.locationId() == null || s.treatmentId() == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks reference, bookingId, startsAt, locationId "
                    + "or treatmentId", null);
        }
        GenericExecuteSpec upsert = db.sql("""
                        insert into booking_fact (reference, booking_id, appointment_date, starts_at, location_id,
                            treatment_id, total_pence, discount_pence, promo_code, offer_id, status,
                            last_event_type, last_event_time, last_event_rank)
                        values (:reference, :bookingId, :day, :startsAt, :locationId, :treatmentId, :total,
                            :discount, :promoCode, :offerId, :status, :type, :time, :rank)
                        on conflict (reference) do update set
                            booking_id = excluded.booking_id,
                            appointment_date = excluded.appointment_date,
                            starts_at = excluded.starts_at,
                            location_id = excluded.location_id,
                            treatment_id = excluded.treatment_id,
                            total_pence = excluded.total_pence,
                            discount_pence = excluded.discount_pence,
                            promo_code = excluded.promo_code,
                            offer_id = coalesce(excluded.offer_id, booking_fact.offer_id),
                            status = excluded.status,
                            last_event_type = excluded.last_event_type,
                            last_event_time = excluded.last_event_time,
                            last_event_rank = excluded.last_event_rank
                        where (booking_fact.last_event_time, booking_fact.last_event_rank)
                            < (excluded.last_event_time, excluded.last_event_rank)
                        """)
                .bind("reference", s.reference())
                .bind("bookingId", s.bookingId())
                .bind("day", ClinicTime.localDate(s.startsAt()))
                .bind("startsAt", s.startsAt())
                .bind("locationId", s.locationId())
                .bind("treatmentId", s.treatmentId())
                .bind("total", s.totalPence())
                .bind("discount", s.discountPence())
                .bind("status", s.status())
                .bind("type", e.type())
                .bind("time", e.time())
                .bind("rank", (short) rank);
        upsert = bindOrNull(upsert, "promoCode", s.promoCode());
        upsert = bindOrNull(upsert, "offerId", s.offerId());
        Mono<Void> fillOffer = s.offerId() == null ? Mono.empty()
                : db.sql("update booking_fact set offer_id = :offerId where reference = :reference and offer_id is null")
                        .bind("offerId", s.offerId()).bind("reference", s.reference()).then();
        return upsert.then().then(fillOffer);
    }

    /**
     * The latest recorded attendance of a booking stands: a correction (NO_SHOW after ATTENDED, or
     * back) replaces the row only if it was recorded later, so replays and redeliveries in any
     * order end in the same figures.
     */
    private Mono<Void> attendance(InboundEvent e, String reference, String locationId, Instant startsAt, String status,
                                  Instant recordedAt) {
        if (reference == null || locationId == null || startsAt == null || recordedAt == null) {
            throw new PoisonEvent(e.type() + " " + e.id() + " lacks reference, locationId, startsAt or recordedAt", null);
        }
        return db.sql("""
                        insert into attendance_fact (reference, location_id, appointment_date, status, recorded_at)
                        values (:reference, :locationId, :day, :status, :recordedAt)
                        on conflict (reference) do update set
                            location_id = excluded.location_id,
                            appointment_date = excluded.appointment_date,
                            status = excluded.status,
                            recorded_at = excluded.recorded_at
                        where attendance_fact.recorded_at < excluded.recorded_at
                        """)
                .bind("reference", reference).bind("locationId", locationId)
                .bind("day", ClinicTime.localDate(startsAt)).bind("status", status).bind("recordedAt", recordedAt)
                .then();
    }

    private static GenericExecuteSpec bindOrNull(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
