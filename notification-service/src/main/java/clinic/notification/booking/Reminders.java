package clinic.notification.booking;

import clinic.notification.catalogue.LocationCopy;
import clinic.notification.config.NotificationProperties;
import clinic.notification.notification.Notifications;
import clinic.notification.notification.Source;
import clinic.notification.template.Formats;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reminder of each booking. A reminder whose time has already come when it is (re)scheduled
 * is stored CANCELLED: the confirmation or reschedule mail just sent says the same thing.
 * Due reminders are taken by one conditional UPDATE over SKIP LOCKED rows in the transaction that
 * queues their messages, so each goes once even with several instances running. The clinic's
 * address and phone are looked up when the reminder goes, so it shows them as they are then.
 */
@Service
public class Reminders {
    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    static final String TEMPLATE = "booking-reminder";
    static final String SOURCE_TYPE = "booking.reminder";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Notifications notifications;
    private final Formats formats;
    private final NotificationProperties props;
    private final Clock clock;
    private final LocationCopy locations;

    Reminders(DatabaseClient db, TransactionalOperator tx, Notifications notifications, Formats formats,
              NotificationProperties props, Clock clock, LocationCopy locations) {
        this.locations = locations;
        this.db = db;
        this.tx = tx;
        this.notifications = notifications;
        this.formats = formats;
        this.props = props;
        this.clock = clock;
    }

    record Booking(String bookingId, String reference, String customerName, String email, String phone,
                   String locationId, String locationName, String treatmentName, Instant startsAt) {}

    /** Creates or moves the reminder (a reschedule after a sent reminder schedules a new one). */
    Mono<Void> schedule(Booking b) {
        Instant now = now();
        Instant due = b.startsAt().minus(props.reminderLead());
        String status = due.isAfter(now) ? "SCHEDULED" : "CANCELLED";
        var spec = db.sql("""
                        insert into booking_reminder (booking_id, reference, customer_name, email, phone, location_id,
                            location_name, treatment_name, starts_at, due_at, status, updated_at)
                        values (:id, :ref, :name, :email, :phone, :locationId, :location, :treatment, :starts, :due,
                            :status, :now)
                        on conflict (booking_id) do update set reference = excluded.reference,
                            customer_name = excluded.customer_name, email = excluded.email, phone = excluded.phone,
                            location_id = excluded.location_id, location_name = excluded.location_name,
                            treatment_name = excluded.treatment_name,
                            starts_at = excluded.starts_at, due_at = excluded.due_at, status = excluded.status,
                            updated_at = excluded.updated_at
                        """)
                .bind("id", b.bookingId()).bind("ref", b.reference()).bind("name", b.customerName())
                .bind("location", b.locationName()).bind("treatment", b.treatmentName())
                .bind("starts", b.startsAt()).bind("due", due).bind("status", status).bind("now", now);
        spec = b.email() == null ? spec.bindNull("email", String.class) : spec.bind("email", b.email());
        spec = b.phone() == null ? spec.bindNull("phone", String.class) : spec.bind("phone", b.phone());
        spec = b.locationId() == null ? spec.bindNull("locationId", String.class) : spec.bind("locationId", b.locationId());
        return spec.then();
    }

    Mono<Void> cancel(String bookingId) {
        return db.sql("update booking_reminder set status = 'CANCELLED', updated_at = :now "
                        + "where booking_id = :id and status = 'SCHEDULED'")
                .bind("now", now()).bind("id", bookingId)
                .then();
    }

    /** Queues the messages of every due reminder; a booking that has already begun gets none. */
    public Mono<Long> sendDue() {
        Instant now = now();
        Flux<Void> work = db.sql("""
                        with due as (
                            select booking_id from booking_reminder
                            where status = 'SCHEDULED' and due_at <= :now
                            order by due_at limit 100 for update skip locked)
                        update booking_reminder r
                        set status = case when r.starts_at > :now then 'SENT' else 'CANCELLED' end, updated_at = :now
                        from due where r.booking_id = due.booking_id
                        returning r.*
                        """)
                .bind("now", now)
                .map(Reminders::row)
                .all()
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .filter(r -> "SENT".equals(r.status()))
                .concatMap(this::queue);
        return tx.transactional(work.count());
    }

    @Scheduled(fixedDelayString = "${clinic.notifications.reminder-poll-interval:15s}",
            initialDelayString = "${clinic.notifications.reminder-poll-interval:15s}")
    void poll() {
        try {
            Long n = sendDue().block();
            if (n != null && n > 0) log.info("reminders: {} queued", n);
        } catch (RuntimeException e) {
            log.warn("reminders: poll failed: {}", e.toString());
        }
    }

    private Mono<Void> queue(Due r) {
        // One reminder per booking time: a reminder of a rescheduled booking is a new message.
        Source source = new Source("reminder:" + r.bookingId() + ":" + r.startsAt().getEpochSecond(), SOURCE_TYPE);
        return locations.whereabouts(r.locationId(), r.locationName()).flatMap(where -> {
            Map<String, String> values = new HashMap<>();
            values.put("name", r.customerName());
            values.put("reference", r.reference());
            values.put("treatment", r.treatmentName());
            values.put("when", formats.dateTime(r.startsAt()));
            values.put("time", formats.time(r.startsAt()));
            where.into(values);
            // Signed by the clinic that expects them, as every booking mail is.
            String clinic = where.name().isBlank() ? props.clinicName() : props.clinicName() + " " + where.name();
            values.put("clinicName", clinic);
            values.put(Notifications.SENDER_NAME, clinic);
            Mono<Boolean> mail = r.email() == null ? Mono.just(false)
                    : notifications.email(source, TEMPLATE, r.email(), values, null);
            Mono<Boolean> text = r.phone() == null || r.phone().isBlank() ? Mono.just(false)
                    : notifications.sms(source, TEMPLATE, r.phone(), values);
            return mail.then(text).then();
        });
    }

    private record Due(String bookingId, String reference, String customerName, String email, String phone,
                       String locationId, String locationName, String treatmentName, Instant startsAt, String status) {}

    private static Due row(Readable row) {
        return new Due(row.get("booking_id", String.class), row.get("reference", String.class),
                row.get("customer_name", String.class), row.get("email", String.class),
                row.get("phone", String.class), row.get("location_id", String.class), row.get("location_name", String.class),
                row.get("treatment_name", String.class), row.get("starts_at", OffsetDateTime.class).toInstant(),
                row.get("status", String.class));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
