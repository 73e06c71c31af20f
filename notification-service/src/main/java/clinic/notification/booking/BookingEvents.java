package clinic.notification.booking;

import clinic.contracts.booking.BookingCancelled;
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
 * Tells customers about their bookings. Runs in the kit's idempotent inbox transaction. The
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

    BookingEvents(Notifications notifications, Reminders reminders, Formats formats, NotificationProperties props,
                  LocationCopy locations) {
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
        return switch (e.type()) {
            case BookingTopics.CONFIRMED -> onConfirmed(Source.of(e), e.payloadAs(BookingConfirmed.class));
            case BookingTopics.CANCELLED -> onCancelled(Source.of(e), e.payloadAs(BookingCancelled.class));
            case BookingTopics.RESCHEDULED -> onRescheduled(Source.of(e), e.payloadAs(BookingRescheduled.class));
            default -> Mono.empty();
        };
    }

    private Mono<Void> onConfirmed(Source source, BookingConfirmed b) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null && b.endsAt() != null
                && b.customer() != null, source, "bookingId, reference, startsAt, endsAt and customer");
        return locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(b.customer(), b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            v.put("endTime", formats.time(b.endsAt()));
            v.put("price", Formats.money(b.pricePence()));
            v.put("discountLine", b.discountPence() > 0
                    ? "Discount" + (b.promoCode() == null ? "" : " (" + b.promoCode() + ")") + ": -"
                    + Formats.money(b.discountPence()) : "");
            v.put("total", Formats.money(b.totalPence()));
            // The manage token is only ever part of the rendered mail, which is erased once sent.
            v.put("manageUrl", props.publicBaseUrl() + "/manage.html?ref=" + encode(b.reference())
                    + "&token=" + encode(b.manageToken() == null ? "" : b.manageToken()));
            Attachment ics = CalendarInvite.of(b.reference(), b.startsAt(), b.endsAt(),
                    b.confirmedAt() == null ? b.startsAt() : b.confirmedAt(), 0,
                    summary(b.treatmentName(), b.therapistName()), where.calendarLocation(),
                    description(b.reference(), where));
            return mail(source, "booking-confirmed", b.customer(), v, ics)
                    .then(reminders.schedule(new Reminders.Booking(b.bookingId(), b.reference(), b.customer().name(),
                            b.customer().email(), b.customer().phone(), b.locationId(), b.locationName(),
                            b.treatmentName(), b.startsAt())));
        });
    }

    private Mono<Void> onCancelled(Source source, BookingCancelled b) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null && b.customer() != null,
                source, "bookingId, reference, startsAt and customer");
        return locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(b.customer(), b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            // Booking again starts where this booking was: same clinic, same treatment.
            v.put("bookUrl", props.publicBaseUrl() + "/book.html?locationId=" + encode(nullToEmpty(b.locationId()))
                    + "&treatmentId=" + encode(nullToEmpty(b.treatmentId())));
            return reminders.cancel(b.bookingId()).then(mail(source, "booking-cancelled", b.customer(), v, null));
        });
    }

    private Mono<Void> onRescheduled(Source source, BookingRescheduled b) {
        require(b.bookingId() != null && b.reference() != null && b.startsAt() != null && b.endsAt() != null
                && b.customer() != null, source, "bookingId, reference, startsAt, endsAt and customer");
        return locations.whereabouts(b.locationId(), b.locationName()).flatMap(where -> {
            Map<String, String> v = common(b.customer(), b.reference(), b.treatmentName(), b.therapistName(), where);
            v.put("when", formats.dateTime(b.startsAt()));
            v.put("endTime", formats.time(b.endsAt()));
            v.put("previousWhen", b.previousStartsAt() == null ? "" : formats.dateTime(b.previousStartsAt()));
            // SEQUENCE must grow with each update of the same UID: the reschedule time does.
            long sequence = b.rescheduledAt() == null ? 1 : b.rescheduledAt().getEpochSecond();
            Attachment ics = CalendarInvite.of(b.reference(), b.startsAt(), b.endsAt(),
                    b.rescheduledAt() == null ? b.startsAt() : b.rescheduledAt(), sequence,
                    summary(b.treatmentName(), b.therapistName()), where.calendarLocation(),
                    description(b.reference(), where));
            return mail(source, "booking-rescheduled", b.customer(), v, ics)
                    .then(reminders.schedule(new Reminders.Booking(b.bookingId(), b.reference(), b.customer().name(),
                            b.customer().email(), b.customer().phone(), b.locationId(), b.locationName(),
                            b.treatmentName(), b.startsAt())));
        });
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
