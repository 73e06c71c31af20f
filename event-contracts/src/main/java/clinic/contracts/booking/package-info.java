/** Events of booking-service, topic {@code booking.events}, keyed by booking reference. */
package clinic.contracts.booking;
