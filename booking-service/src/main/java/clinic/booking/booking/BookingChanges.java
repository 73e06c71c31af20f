package clinic.booking.booking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tells every booking-service instance that a booking changed, for the staff diary's live stream:
 * a {@code pg_notify} inside the change's own transaction, which PostgreSQL delivers to every
 * listening connection only on commit (a rolled-back change is never seen) and in commit order.
 * The payload is ids, a time and a status only: no personal data travels, and the diary reloads
 * its range to see the rest. No log table (unlike the callback board): the diary needs no replay
 * after a reconnect, only a "reload" hint, and a table with a serialising lock would slow every
 * booking for a screen's convenience.
 */
@Component
public class BookingChanges {
    public static final String CHANNEL = "booking_changes";

    /** One change as the stream shows it. {@code event}: booking.confirmed, .rescheduled, .cancelled, .attendance. */
    public record Change(String event, String reference, String locationId, Instant startsAt, String status) {}

    private final DatabaseClient db;
    private final ObjectMapper mapper;

    BookingChanges(DatabaseClient db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    /** Must run inside the transaction of the change. */
    Mono<Void> record(String event, Booking b) {
        String payload;
        try {
            payload = mapper.writeValueAsString(new Change(event, b.reference(), b.locationId(), b.startsAt(),
                    b.status().name()));
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        return db.sql("select pg_notify('" + CHANNEL + "', :payload)").bind("payload", payload)
                .map((row, meta) -> 1).first().then();
    }
}
