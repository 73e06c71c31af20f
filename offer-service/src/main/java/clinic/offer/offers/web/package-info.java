/** HTTP of offers: marketing's {@code /api/marketing/offers} and the public {@code /api/offers}. */
package clinic.offer.offers.web;
