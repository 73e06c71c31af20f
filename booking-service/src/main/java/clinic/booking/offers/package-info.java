/**
 * The one synchronous hop: promo-code reservations at offer-service, behind a short timeout, one
 * retry of the idempotent call and a circuit breaker, so a down offer-service costs a fast 503.
 */
package clinic.booking.offers;
