package clinic.booking.booking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts bookings refused because the time is taken (the 409 {@code slot_unavailable}) as
 * {@code clinic.bookings.conflicts}, tagged {@code operation} (create, reschedule) and
 * {@code reason}: {@code not_available} when availability no longer offered the slot before any
 * write, {@code lost_race} when the exclusion constraint (23P01) refused the insert for every free
 * therapist — the race the constraint exists to decide. All four series exist from start, at zero.
 */
@Component
class BookingConflicts {
    static final String METRIC = "clinic.bookings.conflicts";

    private final Counter createNotAvailable;
    private final Counter createLostRace;
    private final Counter rescheduleNotAvailable;
    private final Counter rescheduleLostRace;

    BookingConflicts(MeterRegistry meters) {
        createNotAvailable = counter(meters, "create", "not_available");
        createLostRace = counter(meters, "create", "lost_race");
        rescheduleNotAvailable = counter(meters, "reschedule", "not_available");
        rescheduleLostRace = counter(meters, "reschedule", "lost_race");
    }

    private static Counter counter(MeterRegistry meters, String operation, String reason) {
        return Counter.builder(METRIC).tag("operation", operation).tag("reason", reason)
                .description("Bookings refused with 409 slot_unavailable because the time is taken").register(meters);
    }

    Errors.SlotUnavailable create(boolean lostRace) {
        (lostRace ? createLostRace : createNotAvailable).increment();
        return new Errors.SlotUnavailable();
    }

    Errors.SlotUnavailable reschedule(boolean lostRace) {
        (lostRace ? rescheduleLostRace : rescheduleNotAvailable).increment();
        return new Errors.SlotUnavailable();
    }
}
