/**
 * Bookings as analytics sees them: one {@code booking_fact} row per booking reference, kept at the
 * state of the newest booking event, so cancellations leave the figures and reschedules move days.
 */
package clinic.analytics.bookings;
