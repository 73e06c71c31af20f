package clinic.analytics.bookings;

import clinic.kit.events.InboundEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code booking_made_fact}: when each booking was made and when it was cancelled, for the
 * figures counted by the day things happened (issue 25) rather than by appointment day.
 *
 * <p>Reads the body as a tree by field name and matches every version of
 * {@code booking.confirmed} / {@code booking.cancelled}: the fields it needs (ids, times, promo
 * code and offer) are carried by each version alike, so a new version with personal data removed
 * needs nothing here. Runs after {@link BookingEvents}' own handling of the same event, in the
 * same inbox transaction.
 */
@Component
class BookingDays {
    private static final String CONFIRMED = "booking.confirmed.";
    private static final String CANCELLED = "booking.cancelled.";

    private final DatabaseClient db;

    BookingDays(DatabaseClient db) {
        this.db = db;
    }

    Mono<Void> record(InboundEvent e) {
        boolean confirmed = e.type().startsWith(CONFIRMED);
        if (!confirmed && !e.type().startsWith(CANCELLED)) return Mono.empty();
        JsonNode b = e.payload();
        String reference = text(b, "reference");
        // BookingEvents has already refused such an event as poison; nothing to record either way.
        if (reference == null) return Mono.empty();
        // The event's own time stands in for a producer that left the instant out.
        Instant at = instant(b, confirmed ? "confirmedAt" : "cancelledAt", e.time());
        String promo = text(b, "promoCode");
        GenericExecuteSpec spec = db.sql("""
                        insert into booking_made_fact (reference, booking_id, location_id, treatment_id, promo_code,
                            offer_id, booked_at, cancelled_at)
                        values (:reference, :bookingId, :locationId, :treatmentId, :promo, :offerId, :bookedAt,
                            :cancelledAt)
                        on conflict (reference) do update set
                            booking_id = coalesce(excluded.booking_id, booking_made_fact.booking_id),
                            location_id = coalesce(excluded.location_id, booking_made_fact.location_id),
                            treatment_id = coalesce(excluded.treatment_id, booking_made_fact.treatment_id),
                            promo_code = coalesce(excluded.promo_code, booking_made_fact.promo_code),
                            offer_id = coalesce(excluded.offer_id, booking_made_fact.offer_id),
                            booked_at = least(excluded.booked_at, booking_made_fact.booked_at),
                            cancelled_at = least(excluded.cancelled_at, booking_made_fact.cancelled_at)
                        """)
                .bind("reference", reference);
        spec = bind(spec, "bookingId", text(b, "bookingId"));
        spec = bind(spec, "locationId", text(b, "locationId"));
        spec = bind(spec, "treatmentId", text(b, "treatmentId"));
        spec = bind(spec, "promo", promo == null ? null : promo.toUpperCase(Locale.ROOT));
        spec = bind(spec, "offerId", text(b, "offerId"));
        spec = confirmed ? spec.bind("bookedAt", at).bindNull("cancelledAt", Instant.class)
                : spec.bindNull("bookedAt", Instant.class).bind("cancelledAt", at);
        return spec.then();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field, Instant fallback) {
        String v = text(n, field);
        if (v == null) return fallback;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static GenericExecuteSpec bind(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
