/** The client of booking-service's public treatment catalogue, which prices quotes. */
package clinic.offer.catalogue;
