/**
 * The booking aggregate and its use cases: create (with promo reservation and Idempotency-Key),
 * view, cancel and reschedule. The database's exclusion constraint is the no-double-booking rule.
 */
package clinic.booking.booking;
