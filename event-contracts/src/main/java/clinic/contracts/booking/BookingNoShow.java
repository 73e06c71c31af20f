package clinic.contracts.booking;

import java.time.Instant;

/**
 * Staff recorded that the customer did not come to a booking. Published by booking-service on
 * {@code booking.events}, key = {@code reference}, type {@code booking.no_show.v1}. No personal
 * data: ids and times only. A later {@link BookingAttended} of the same booking corrects it.
 */
public record BookingNoShow(
        String bookingId,
        String reference,
        String locationId,
        String treatmentId,
        String therapistId,
        Instant startsAt,
        String recordedBy,
        Instant recordedAt) {}
