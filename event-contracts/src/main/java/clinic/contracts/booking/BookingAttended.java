package clinic.contracts.booking;

import java.time.Instant;

/**
 * Staff recorded that the customer came to a booking. Published by booking-service on
 * {@code booking.events}, key = {@code reference}, type {@code booking.attended.v1}. No personal
 * data: ids and times only. A later {@link BookingNoShow} of the same booking corrects it (the
 * latest attendance event of a reference is the one that stands).
 */
public record BookingAttended(
        String bookingId,
        String reference,
        String locationId,
        String treatmentId,
        String therapistId,
        Instant startsAt,
        String recordedBy,
        Instant recordedAt) {}
