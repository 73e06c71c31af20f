package clinic.booking.booking;

import clinic.contracts.booking.BookingCancelled;
import clinic.contracts.booking.BookingConfirmed;
import clinic.contracts.booking.BookingRescheduled;
import clinic.contracts.booking.Customer;
import java.time.Instant;
import java.util.UUID;

/**
 * One booking as stored. {@code blockedUntil} is the end plus the buffer in force when it was
 * booked: the range the exclusion constraint keeps free of other bookings of the therapist.
 */
public record Booking(
        UUID id,
        String reference,
        Status status,
        String locationId,
        String treatmentId,
        String therapistId,
        Instant startsAt,
        Instant endsAt,
        Instant blockedUntil,
        Customer customer,
        String notes,
        long pricePence,
        long discountPence,
        long totalPence,
        String currency,
        String promoCode,
        String offerId,
        byte[] manageTokenHash,
        Instant createdAt,
        Instant updatedAt,
        Instant cancelledAt,
        String cancelledBy,
        String bookedBy,
        String cancelledByUser,
        String rescheduledBy,
        String attendance) {

    public enum Status { CONFIRMED, CANCELLED }

    /** Display names that events carry so consumers need not call back. */
    public record Labels(String locationName, String treatmentName, String treatmentCategory, String therapistName) {}

    /** @param callbackId the callback request a staff booking answers (null otherwise) */
    public BookingConfirmed confirmed(Labels l, String manageToken, String callbackId) {
        return new BookingConfirmed(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), l.treatmentCategory(), therapistId, l.therapistName(), startsAt, endsAt, customer,
                pricePence, discountPence, totalPence, currency, promoCode, offerId, manageToken, createdAt, bookedBy,
                callbackId);
    }

    public BookingCancelled cancelled(Labels l) {
        return new BookingCancelled(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), therapistId, l.therapistName(), startsAt, endsAt, customer, totalPence,
                discountPence, promoCode, offerId, cancelledBy, cancelledAt);
    }

    public BookingRescheduled rescheduledFrom(Booking previous, Labels l) {
        return new BookingRescheduled(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), therapistId, l.therapistName(), previous.startsAt(), previous.endsAt(),
                previous.therapistId(), startsAt, endsAt, customer, totalPence, discountPence, promoCode, updatedAt);
    }
}
