/**
 * The events services publish, one package per producer ({@code booking}, {@code offer},
 * {@code callback}, {@code notification}). Wire types are logical names such as
 * {@code booking.confirmed.v1}; a change of meaning is a new type, never a repurposed field.
 * See docs/events.md for the catalogue.
 */
package clinic.contracts;
