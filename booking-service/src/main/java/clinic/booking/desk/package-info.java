/**
 * The staff desk's reads (issue 18): the diary of a location's days, the customer look-up, and the
 * live stream of booking changes for an open diary. The desk's writes are booking use cases and
 * live with them in {@code clinic.booking.booking}.
 */
package clinic.booking.desk;
