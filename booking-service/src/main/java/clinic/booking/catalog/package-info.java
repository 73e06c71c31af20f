/**
 * The clinic's catalogue as read: locations with opening hours, treatments, therapists and
 * closures. Written only through the administration use cases ({@code clinic.booking.admin}).
 */
package clinic.booking.catalog;
