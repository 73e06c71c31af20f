/**
 * Offers and promo-code redemptions: {@code redemption_fact} per booking that used a code
 * (REDEEMED until released) and {@code offer_fact} per offer, each at its newest event.
 */
package clinic.analytics.offers;
