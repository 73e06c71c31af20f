package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking moved to a new time (and maybe therapist); the old slot is free. Published by
 * booking-service on {@code booking.events}, key = {@code reference}, type
 * {@code booking.rescheduled.v1}.
 */
public record BookingRescheduled(
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
        Customer customer,
        long totalPence,
        long discountPence,
        String promoCode,
        Instant rescheduledAt) {}
