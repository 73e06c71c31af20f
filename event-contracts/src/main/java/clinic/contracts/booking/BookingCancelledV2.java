package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking was cancelled and its slot freed. Published by booking-service on
 * {@code booking.events}, key = {@code reference}, type {@code booking.cancelled.v2}: version 1
 * without the customer's personal data (docs/adr/0007). {@code cancelledBy} is {@code CUSTOMER}
 * or {@code STAFF}.
 */
public record BookingCancelledV2(
        String bookingId,
        String reference,
        String locationId,
        String locationName,
        String treatmentId,
        String treatmentName,
        String therapistId,
        String therapistName,
        Instant startsAt,
        Instant endsAt,
        long totalPence,
        long discountPence,
        String promoCode,
        String offerId,
        String cancelledBy,
        Instant cancelledAt) {}
