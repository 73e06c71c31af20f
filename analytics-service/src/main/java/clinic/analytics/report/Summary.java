package clinic.analytics.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The contract's {@code GET /api/analytics/summary} body. */
public record Summary(
        Bookings bookings,
        long revenuePence,
        long discountPence,
        List<OfferRedemptions> offers,
        Callbacks callbacks,
        Notifications notifications) {

    /**
     * Bookings not cancelled, by appointment day; maps are id → count. {@code attended} and
     * {@code noShows} count the attendance staff recorded (latest per booking) of those bookings;
     * {@code noShowsByLocation} is location id → no-shows (a location without any is absent), so a
     * no-show rate by location is {@code noShowsByLocation[id] / byLocation[id]}.
     */
    public record Bookings(long count, Map<String, Long> byLocation, Map<String, Long> byTreatment, long attended,
                           long noShows, Map<String, Long> noShowsByLocation) {}

    /** Redemptions still standing (not released) of bookings in the period. */
    public record OfferRedemptions(String code, long redemptions, long discountPence) {}

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
