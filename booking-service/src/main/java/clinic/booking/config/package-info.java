/** Typed settings of booking-service: booking rules (buffer, notice, horizon) and the clinic's zone. */
package clinic.booking.config;
