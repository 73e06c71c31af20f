package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking was made and its slot is held. Published by booking-service on {@code booking.events},
 * key = {@code reference}, type {@code booking.confirmed.v2}. Version 1 without the customer's
 * personal data and without the manage token (docs/adr/0007): a consumer that needs to reach the
 * customer asks booking-service by {@code bookingId} ({@code GET /internal/bookings/{id}/contact},
 * docs/internal-apis.md). {@code bookedBy} (the staff user) and {@code callbackId} (the callback
 * request the booking answers) are set only for bookings made at the staff desk, as in version 1.
 */
public record BookingConfirmedV2(
        String bookingId,
        String reference,
        String locationId,
        String locationName,
        String treatmentId,
        String treatmentName,
        String treatmentCategory,
        String therapistId,
        String therapistName,
        Instant startsAt,
        Instant endsAt,
        long pricePence,
        long discountPence,
        long totalPence,
        String currency,
        String promoCode,
        String offerId,
        String bookedBy,
        String callbackId,
        Instant confirmedAt) {}
