package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking was cancelled and its slot freed. Published by booking-service on
 * {@code booking.events}, key = {@code reference}, type {@code booking.cancelled.v1}.
 * offer-service releases the promo-code redemption of {@code bookingId} on it.
 * {@code cancelledBy} is {@code CUSTOMER} or {@code STAFF}.
 */
public record BookingCancelled(
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
        Customer customer,
        long totalPence,
        long discountPence,
        String promoCode,
        String offerId,
        String cancelledBy,
        Instant cancelledAt) {}
