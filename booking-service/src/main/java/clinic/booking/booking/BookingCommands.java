package clinic.booking.booking;

import clinic.contracts.booking.Customer;
import java.time.Instant;

/** Inputs and outputs of {@link BookingService}, free of HTTP types. */
public final class BookingCommands {
    private BookingCommands() {}

    /**
     * @param canonicalRequest the request as the client meant it, for Idempotency-Key comparison
     * @param bookedBy         the staff user booking for a caller (null: the public booking form);
     *                         a staff booking may start inside the minimum notice, never in the past
     * @param callbackId       the callback request a staff booking answers (null: none)
     */
    public record Create(String locationId, String treatmentId, String therapistId, Instant startsAt,
                         Customer customer, String promoCode, String notes, String idempotencyKey,
                         byte[] canonicalRequest, String bookedBy, String callbackId) {
        public Create(String locationId, String treatmentId, String therapistId, Instant startsAt,
                      Customer customer, String promoCode, String notes, String idempotencyKey,
                      byte[] canonicalRequest) {
            this(locationId, treatmentId, therapistId, startsAt, customer, promoCode, notes, idempotencyKey,
                    canonicalRequest, null, null);
        }

        boolean byStaff() {
            return bookedBy != null;
        }
    }

    public record Reschedule(Instant startsAt, String therapistId) {}

    /** Attendance staff record once an appointment has started. */
    public enum Attendance { ATTENDED, NO_SHOW }

    /** A made (or replayed) booking; {@code manageToken} exists only here, never stored in clear. */
    public record Created(String reference, String status, String locationId, String treatmentId,
                          String therapistId, Instant startsAt, Instant endsAt, long pricePence,
                          long discountPence, long totalPence, String currency, String promoCode,
                          String manageToken, Customer customer) {}

    /**
     * A booking as its owner or staff see it. {@code needsAttention} only in staff lists: true for a
     * confirmed booking that the rules as they are now (closures, time off, patterns, opening hours,
     * inactive things) no longer allow, until it is moved or cancelled. The staff desk's fields
     * ({@code bookedBy}, {@code cancelledByUser}, {@code rescheduledBy}: staff usernames;
     * {@code attendance}) are filled only in staff answers: a customer is not shown who at the desk
     * touched their booking.
     */
    public record View(String reference, String status, String locationId, String treatmentId,
                       String therapistId, Instant startsAt, Instant endsAt, long pricePence, long discountPence,
                       long totalPence, String currency, String promoCode, Customer customer, String notes,
                       Instant createdAt, Instant cancelledAt, String cancelledBy, Boolean needsAttention,
                       String bookedBy, String cancelledByUser, String rescheduledBy, String attendance) {
        /** The customer's view. */
        static View of(Booking b) {
            return new View(b.reference(), b.status().name(), b.locationId(), b.treatmentId(),
                    b.therapistId(), b.startsAt(), b.endsAt(), b.pricePence(), b.discountPence(), b.totalPence(),
                    b.currency(), b.promoCode(), b.customer(), b.notes(), b.createdAt(), b.cancelledAt(),
                    b.cancelledBy(), null, null, null, null, null);
        }

        /** The staff view. */
        static View of(Booking b, Boolean needsAttention) {
            return new View(b.reference(), b.status().name(), b.locationId(), b.treatmentId(),
                    b.therapistId(), b.startsAt(), b.endsAt(), b.pricePence(), b.discountPence(), b.totalPence(),
                    b.currency(), b.promoCode(), b.customer(), b.notes(), b.createdAt(), b.cancelledAt(),
                    b.cancelledBy(), needsAttention, b.bookedBy(), b.cancelledByUser(), b.rescheduledBy(),
                    b.attendance());
        }
    }
}
