/**
 * Promo codes in use: quotes for customers, reservations for booking-service (exact caps and
 * per-customer limits), and their settlement by booking events.
 */
package clinic.offer.promo;
