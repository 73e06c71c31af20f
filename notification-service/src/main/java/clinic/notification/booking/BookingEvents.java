package clinic.notification.booking;

import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingCancelledV2;
import clinic.contracts.booking.BookingConfirmedV2;
import clinic.contracts.booking.BookingRescheduledV2;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingRescheduled;
import clinic.contracts.booking.BookingTopics;
import clinic.contracts.booking.Customer;
import clinic.kit.events.InboundEvent;
import clinic.kit.events.PoisonEvent;
import clinic.kit.inbox.EventHandler;
import clinic.notification.catalogue.LocationCopy;
import clinic.notification.catalogue.Whereabouts;
import clinic.notification.config.NotificationProperties;
import clinic.notification.notification.Attachment;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import clinic.notification.owners.Owners;
import clinic.notification.template.Formats;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tells customers about their bookings. Runs in the kit's idempotent inbox transaction. Version 2
 * events carry ids only: the customer is asked of booking-service when the mail is made, and
 * while it is away the event waits (docs/adr/0007). The
 * clinic's address and phone come from this service's copy of the locations; a location not in it
 * is shown by the name the booking event carries.
 */
@Component
class BookingEvents implements EventHandler {
    private final Notifications notifications;
    private final Reminders reminders;
    private final Formats formats;
    private final NotificationProperties props;
    private final LocationCopy locations;
    private final Owners owners;

    BookingEvents(Notifications notifications, Reminders reminders, Formats formats, NotificationProperties props,
                  LocationCopy locations, Owners owners) {
        this.owners = owners;
        this.notifications = notifications;
        this.reminders = reminders;
        this.formats = formats;
        this.props = props;
        this.locations = locations;
    }

    @Override
    public Collection<String> topics() {
        return List.of(BookingTopics.TOPIC);
    }

    @Override
    public Mono<Void> handle(InboundEvent e) {
        Source source = Source.of(e);
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> {
                BookingConfirmed b = e.payloadAs(BookingConfirmed.class);
                yield onConfirmed(source, Confirmed.of(b), Mono.justOrEmpty(b.customer()),
                        Mono.justOrEmpty(b.manageToken()));
            }
            case BookingTopics.CANCELLED -> {
                BookingCancelled b = e.payloadAs(BookingCancelled.class);
                yield onCancelled(source, Cancelled.of(b), Mono.justOrEmpty(b.customer()));
            }
            case BookingTopics.RESCHEDULED -> {
                BookingRescheduled b = e.payloadAs(BookingRescheduled.class);
                yield onRescheduled(source, Rescheduled.of(b), Mono.justOrEmpty(b.customer()));
            }
            // Version 2 carries ids only: the customer, and for the confirmation a manage link, come
            // from booking-service now (docs/adr/0007). None when the customer was erased.
            case BookingTopics.CONFIRMED_V2 -> {
                BookingConfirmedV2 b = e.payloadAs(BookingConfirmedV2.class);
                yield onConfirmed(source, Confirmed.of(b), customer(b.bookingId()),
                        Mono.defer(() -> owners.manageToken(b.bookingId())));
            }
            case BookingTopics.CANCELLED_V2 -> {
                BookingCancelledV2 b = e.payloadAs(BookingCancelledV2.class);
                yield onCancelled(source, Cancelled.of(b), customer(b.bookingId()));
            }
            case BookingTopics.RESCHEDULED_V2 -> {
                BookingRescheduledV2 b = e.payloadAs(BookingRescheduledV2.class);
                yield onRescheduled(source, Rescheduled.of(b), customer(b.bookingId()));
            }
            default -> Mono.empty();
        };
    }

    private Mono<Customer> customer(String bookingId) {
        if (bookingId == null) return Mono.empty();
        return owners.booking(bookingId).map(c -> new Customer(c.name(), c.email(), c.phone()));
    }

    /** What the mails need of each event, the same in v1 and v2. */
    private record Confirmed(String bookingId, String reference, String locationId, String locationName,
                             String treatmentName, String therapistName, java.time.Instant startsAt,
                             java.time.Instant endsAt, long pricePence, long discountPence, long totalPence,
                             String promoCode, java.time.Instant confirmedAt) {
        static Confirmed of(BookingConfirmed b) {
            return new Confirmed(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentName(),
                    b.therapistName(), b.startsAt(), b.endsAt(), b.pricePence(), b.discountPence(), b.totalPence(),
                    b.promoCode(), b.confirmedAt());
        }

        static Confirmed of(BookingConfirmedV2 b) {
            return new Confirmed(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentName(),
                    b.therapistName(), b.startsAt(), b.endsAt(), b.pricePence(), b.discountPence(), b.totalPence(),
                    b.promoCode(), b.confirmedAt());
        }
    }

    private record Cancelled(String bookingId, String reference, String locationId, String locationName,
                             String treatmentId, String treatmentName, String therapistName,
                             java.time.Instant startsAt) {
        static Cancelled of(BookingCancelled b) {
            return new Cancelled(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentId(),
                    b.treatmentName(), b.therapistName(), b.startsAt());
        }

        static Cancelled of(BookingCancelledV2 b) {
            return new Cancelled(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentId(),
                    b.treatmentName(), b.therapistName(), b.startsAt());
        }
    }

    private record Rescheduled(String bookingId, String reference, String locationId, String locationName,
                               String treatmentName, String therapistName, java.time.Instant previousStartsAt,
                               java.time.Instant startsAt, java.time.Instant endsAt, java.time.Instant rescheduledAt) {
        static Rescheduled of(BookingRescheduled b) {
            return new Rescheduled(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentName(),
                    b.therapistName(), b.previousStartsAt(), b.startsAt(), b.endsAt(), b.rescheduledAt());
        }

        static Rescheduled of(BookingRescheduledV2 b) {
            return new Rescheduled(b.bookingId(), b.reference(), b.locationId(), b.locationName(), b.treatmentName(),
                    b.therapistName(), b.previousStartsAt(), b.startsAt(), b.endsAt(), b.rescheduledAt());
        }
    }

    private Mono<Void> onConfirmed(Source source, Confirmed b, Mono<Customer> customer, Mono<String> manageToken) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null && b.endsAt() != null,
                source, "bookingId, reference, startsAt and endsAt");
        // No customer (erased, or a v1 event without one): nothing to send, no reminder to keep.
        return customer.flatMap(c -> manageToken.defaultIfEmpty("").flatMap(token ->
                locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(c, b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            v.put("endTime", formats.time(b.endsAt()));
            v.put("price", Formats.money(b.pricePence()));
            v.put("discountLine", b.discountPence() > 0
                    ? "Discount" + (b.promoCode() == null ? "" : " (" + b.promoCode() + ")") + ": -"
                    + Formats.money(b.discountPence()) : "");
            v.put("total", Formats.money(b.totalPence()));
            // The manage token is only ever part of the rendered mail, which is erased once sent.
            v.put("manageUrl", props.publicBaseUrl() + "/manage.html?ref=" + encode(b.reference())
                    + "&token=" + encode(token));
            Attachment ics = CalendarInvite.of(b.reference(), b.startsAt(), b.endsAt(),
                    b.confirmedAt() == null ? b.startsAt() : b.confirmedAt(), 0,
                    summary(b.treatmentName(), b.therapistName()), where.calendarLocation(),
                    description(b.reference(), where));
            return mail(source, "booking-confirmed", c, v, ics)
                    .then(reminders.schedule(new Reminders.Booking(b.bookingId(), b.reference(), c.name(),
                            c.email(), c.phone(), b.locationId(), b.locationName(),
                            b.treatmentName(), b.startsAt())));
        })));
    }

    private Mono<Void> onCancelled(Source source, Cancelled b, Mono<Customer> customer) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null,
                source, "bookingId, reference and startsAt");
        // The reminder goes whether or not there is anyone left to tell.
        return reminders.cancel(b.bookingId()).then(customer.flatMap(c ->
                locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(c, b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            // Booking again starts where this booking was: same clinic, same treatment.
            v.put("bookUrl", props.publicBaseUrl() + "/book.html?locationId=" + encode(nullToEmpty(b.locationId()))
                    + "&treatmentId=" + encode(nullToEmpty(b.treatmentId())));
            return mail(source, "booking-cancelled", c, v, null);
        })));
    }

    private Mono<Void> onRescheduled(Source source, Rescheduled b, Mono<Customer> customer) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null && b.endsAt() != null,
                source, "bookingId, reference, startsAt and endsAt");
        return customer.flatMap(c -> locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(c, b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            v.put("endTime", formats.time(b.endsAt()));
            v.put("previousWhen", b.previousStartsAt() == null ? "" : formats.dateTime(b.previousStartsAt()));
            // SEQUENCE must grow with each update of the same UID: the reschedule time does.
            long sequence = b.rescheduledAt() == null ? 1 : b.rescheduledAt().getEpochSecond();
            Attachment ics = CalendarInvite.of(b.reference(), b.startsAt(), b.endsAt(),
                    b.rescheduledAt() == null ? b.startsAt() : b.rescheduledAt(), sequence,
                    summary(b.treatmentName(), b.therapistName()), where.calendarLocation(),
                    description(b.reference(), where));
            return mail(source, "booking-rescheduled", c, v, ics)
                    .then(reminders.schedule(new Reminders.Booking(b.bookingId(), b.reference(), c.name(),
                            c.email(), c.phone(), b.locationId(), b.locationName(),
                            b.treatmentName(), b.startsAt())));
        }));
    }

    private Mono<Void> mail(Source source, String template, Customer customer, Map<String, String> values,
                            Attachment ics) {
        if (customer.email() == null || customer.email().isBlank()) return Mono.empty();
        return notifications.email(source, template, customer.email().trim(), values, ics).then();
    }

    /**
     * What every booking mail says; the clinic's name ("Peak Motion Clinic Sheffield") is the
     * signature and the From's display name, so the customer sees which clinic writes.
     */
    private Map<String, String> common(Customer c, String reference, String treatment, String therapist,
                                       Whereabouts where) {
        Map<String, String> v = new HashMap<>();
        String clinic = where.name().isBlank() ? props.clinicName() : props.clinicName() + " " + where.name();
        v.put("clinicName", clinic);
        v.put(Notifications.SENDER_NAME, clinic);
        v.put("name", c.name() == null ? "" : c.name());
        v.put("reference", reference);
        v.put("treatment", nullToEmpty(treatment));
        v.put("therapist", nullToEmpty(therapist));
        where.into(v);
        return v;
    }

    /** The calendar entry's notes: the reference to quote, and the clinic and its phone when known. */
    private static String description(String reference, Whereabouts where) {
        String clinic = where.phone().isEmpty() ? "" : "\n" + where.name() + ": " + where.phone();
        return "Booking reference " + reference + clinic;
    }

    private static String summary(String treatment, String therapist) {
        return nullToEmpty(treatment) + (therapist == null ? "" : " with " + therapist);
    }

    private static void require(boolean ok, Source source, String fields) {
        if (!ok) throw new PoisonEvent(source.eventType() + " " + source.eventId() + " lacks " + fields, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
