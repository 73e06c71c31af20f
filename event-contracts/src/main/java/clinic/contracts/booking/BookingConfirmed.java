package clinic.contracts.booking;

import java.time.Instant;

/**
 * A booking was made and its slot is held. Published by booking-service on {@code booking.events},
 * key = {@code reference}, type {@code booking.confirmed.v1}.
 * {@code manageToken} is the customer's secret for the manage link in the confirmation mail;
 * consumers must not store or log it.
 * {@code bookedBy} (the staff user) and {@code callbackId} (the callback request it answers) are
 * set only for bookings made at the staff desk; both are additive and absent (null) otherwise.
 */
public record BookingConfirmed(
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
        Customer customer,
        long pricePence,
        long discountPence,
        long totalPence,
        String currency,
        String promoCode,
        String offerId,
        String manageToken,
        Instant confirmedAt,
        String bookedBy,
        String callbackId) {}
