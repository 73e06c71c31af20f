package clinic.booking.booking;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** The booking facts that end a request. */
final class Errors {
    private Errors() {}

    /** The slot is taken, or is not one that availability offers. */
    static final class SlotUnavailable extends ClinicException {
        SlotUnavailable() {
            super(HttpStatus.CONFLICT, "slot_unavailable", "Slot unavailable",
                    "That time is not available; please choose another slot");
        }
    }

    static final class TooLateToCancel extends ClinicException {
        TooLateToCancel(java.time.Duration cutoff) {
            super(HttpStatus.CONFLICT, "too_late_to_cancel", "Too late to cancel",
                    "Bookings can be cancelled online up to " + cutoff.toHours()
                            + " hours before the start; please call the clinic");
        }
    }

    static final class BookingNotConfirmed extends ClinicException {
        BookingNotConfirmed() {
            super(HttpStatus.CONFLICT, "booking_cancelled", "Booking cancelled",
                    "The booking is cancelled and cannot be changed");
        }
    }

    /** Attendance is recorded only once the appointment has started. */
    static final class NotStarted extends ClinicException {
        NotStarted() {
            super(HttpStatus.CONFLICT, "not_started", "Appointment not started",
                    "Attendance can be recorded once the appointment has started");
        }
    }

    /** Someone else moved the booking after the caller read it: reload and decide again. */
    static final class BookingChanged extends ClinicException {
        BookingChanged() {
            super(HttpStatus.CONFLICT, "booking_changed", "Booking changed",
                    "Someone else changed this booking a moment ago; reload it and try again");
        }
    }

    static final class IdempotencyKeyReused extends ClinicException {
        IdempotencyKeyReused() {
            super(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency key reused",
                    "This Idempotency-Key was already used with a different request body");
        }
    }
}
