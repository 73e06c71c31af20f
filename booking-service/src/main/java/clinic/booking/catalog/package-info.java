/**
 * The clinic's catalogue: locations, treatments, therapists and their weekly hours, breaks and
 * time off. Read-only over HTTP; the local profile seeds demo therapists ({@link DemoClinicSeeder}).
 */
package clinic.booking.catalog;
