package clinic.analytics.rebuild;

/**
 * What a rebuild did and the fact rows it ended with.
 *
 * @param eventsApplied     events that changed (or could change) the read models
 * @param duplicatesSkipped events whose id had already been applied (republished by a producer)
 * @param poisonSkipped     events that can never be applied (live consumption dead-letters them)
 */
public record RebuildResult(
        long eventsApplied,
        long duplicatesSkipped,
        long poisonSkipped,
        long bookings,
        long redemptions,
        long offers,
        long callbacks,
        long notifications,
        long tookMillis) {}
