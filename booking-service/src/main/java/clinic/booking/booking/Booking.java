package clinic.booking.booking;

import clinic.contracts.booking.BookingCancelledV2;
import clinic.contracts.booking.BookingConfirmedV2;
import clinic.contracts.booking.BookingRescheduledV2;
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

    /**
     * The events carry no personal data and no manage token (docs/adr/0007): consumers ask by id.
     * @param callbackId the callback request a staff booking answers (null otherwise)
     */
    public BookingConfirmedV2 confirmed(Labels l, String callbackId) {
        return new BookingConfirmedV2(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), l.treatmentCategory(), therapistId, l.therapistName(), startsAt, endsAt,
                pricePence, discountPence, totalPence, currency, promoCode, offerId, bookedBy, callbackId, createdAt);
    }

    public BookingCancelledV2 cancelled(Labels l) {
        return new BookingCancelledV2(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), therapistId, l.therapistName(), startsAt, endsAt, totalPence,
                discountPence, promoCode, offerId, cancelledBy, cancelledAt);
    }

    public BookingRescheduledV2 rescheduledFrom(Booking previous, Labels l) {
        return new BookingRescheduledV2(id.toString(), reference, locationId, l.locationName(), treatmentId,
                l.treatmentName(), therapistId, l.therapistName(), previous.startsAt(), previous.endsAt(),
                previous.therapistId(), startsAt, endsAt, totalPence, discountPence, promoCode, updatedAt);
    }
}
