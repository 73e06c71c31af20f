package clinic.analytics.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code GET /api/analytics/summary} body, plus (issue 25) figures by the day things
 * happened: {@code bookingsMade}, {@code cancellations}, results per treatment and newsletter
 * sign-ups. {@code revenuePence} is the sum of {@code totalPence} (the price after any promo
 * discount, as booked) of the bookings not cancelled whose appointment falls in the period,
 * whether or not the customer came; {@code discountPence} is the discount those bookings got.
 */
public record Summary(
        Bookings bookings,
        long revenuePence,
        long discountPence,
        List<OfferRedemptions> offers,
        Callbacks callbacks,
        Notifications notifications,
        BookingsMade bookingsMade,
        Cancellations cancellations,
        List<TreatmentResults> treatments,
        Newsletter newsletter) {

    /**
     * Bookings not cancelled, by appointment day; maps are id → count. {@code attended} and
     * {@code noShows} count the attendance staff recorded (latest per booking) of those bookings;
     * {@code noShowsByLocation} is location id → no-shows (a location without any is absent), so a
     * no-show rate by location is {@code noShowsByLocation[id] / byLocation[id]}.
     */
    public record Bookings(long count, Map<String, Long> byLocation, Map<String, Long> byTreatment, long attended,
                           long noShows, Map<String, Long> noShowsByLocation) {}

    /**
     * One promo code. {@code redemptions}, {@code discountPence} and {@code revenuePence}: the
     * redemptions still standing (not released) of the period's appointments not cancelled, the
     * discount they got and what they pay after it. {@code bookingsMade}: bookings made in the period
     * (by the day they were made) with the code, including any cancelled since. A code with bookings
     * made but no appointment in the period is listed with zero redemptions.
     */
    public record OfferRedemptions(String code, long redemptions, long discountPence, long revenuePence,
                                   long bookingsMade) {}

    /**
     * Bookings by the day they were made (their confirmation, Europe/London), whatever their
     * appointment date; {@code cancelledSince}: how many of them have been cancelled by now.
     */
    public record BookingsMade(long count, long cancelledSince) {}

    /** Bookings cancelled in the period (by the day of the cancellation), whatever their appointment date. */
    public record Cancellations(long count) {}

    /**
     * One treatment: {@code bookings} and {@code revenuePence} as the summary's (appointments in the
     * period, not cancelled), {@code bookingsMade} and {@code cancellations} by the day they happened.
     */
    public record TreatmentResults(String treatmentId, long bookings, long revenuePence, long bookingsMade,
                                   long cancellations) {}

    /** Newsletter subscriptions confirmed in the period (a re-subscription after an unsubscribe counts again). */
    public record Newsletter(long signUps) {}

    /**
     * Callbacks requested in the period. {@code medianMinutesToFirstAttempt} is null (and shown as
     * null, not left out) while no callback of the period has been attempted.
     */
    public record Callbacks(long requested, long completed,
                            @JsonInclude(JsonInclude.Include.ALWAYS) Double medianMinutesToFirstAttempt,
                            long slaBreaches) {}

    /** Notifications created in the period, by final outcome. */
    public record Notifications(long sent, long failed) {}
}
