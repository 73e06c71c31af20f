/** HTTP of promo codes: the public quote and booking-service's internal reservation API. */
package clinic.offer.promo.web;
