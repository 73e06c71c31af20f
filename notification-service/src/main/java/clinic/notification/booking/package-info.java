/**
 * Messages about bookings: confirmation with a calendar invitation, cancellation, reschedule, and
 * the reminder a day before, which follows the booking's moves and dies with its cancellation.
 */
package clinic.notification.booking;
