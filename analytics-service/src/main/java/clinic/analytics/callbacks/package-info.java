/**
 * Callback requests as analytics sees them: one {@code callback_fact} row per callback, filled in
 * by whichever callback events arrive, in any order.
 */
package clinic.analytics.callbacks;
