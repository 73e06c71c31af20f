/**
 * offer-service's copy of booking-service's catalogue (treatments and locations), kept from
 * {@code catalogue.events}: quotes are priced from it and new offers are checked against it, with no
 * call to booking-service at run time.
 */
package clinic.offer.catalogue;
