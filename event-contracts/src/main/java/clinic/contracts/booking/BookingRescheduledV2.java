package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking moved to a new time (and maybe therapist). Published by booking-service on
 * {@code booking.events}, key = {@code reference}, type {@code booking.rescheduled.v2}: version 1
 * without the customer's personal data (docs/adr/0007).
 */
public record BookingRescheduledV2(
        String bookingId,
        String reference,
        String locationId,
        String locationName,
        String treatmentId,
        String treatmentName,
        String therapistId,
        String therapistName,
        Instant previousStartsAt,
        Instant previousEndsAt,
        String previousTherapistId,
        Instant startsAt,
        Instant endsAt,
        long totalPence,
        long discountPence,
        String promoCode,
        Instant rescheduledAt) {}
