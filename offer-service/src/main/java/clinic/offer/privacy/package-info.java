/**
 * Erasure on request, offer-service's part: the promo-code ledger's addresses (docs/privacy.md).
 */
package clinic.offer.privacy;
