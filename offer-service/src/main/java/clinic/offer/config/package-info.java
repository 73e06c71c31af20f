/** Typed settings of offer-service ({@code clinic.offers.*}). */
package clinic.offer.config;
