/** HTTP face of bookings: customer endpoints (manage token) and the staff day list and cancel. */
package clinic.booking.booking.web;
