/**
 * Catalogue events of booking-service, topic {@code catalogue.events}: the whole current state of one
 * location, treatment, therapist or closure, keyed by its id, so a consumer keeps its own copy by
 * upserting the latest event per key (and a compacted or replayed topic rebuilds it).
 */
package clinic.contracts.catalogue;
