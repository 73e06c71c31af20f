/**
 * Offers: marketing creates and ends them, they go live and expire on their own, and each
 * transition is published once on {@code offer.events}.
 */
package clinic.offer.offers;
