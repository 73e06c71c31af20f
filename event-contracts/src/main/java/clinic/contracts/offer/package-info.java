/** Events of offer-service, topic {@code offer.events}, keyed by offer id. */
package clinic.contracts.offer;
