/**
 * UK GDPR for bookings: a person's bookings for a subject access export, their erasure on request,
 * and the retention job that anonymises bookings long past (docs/privacy.md).
 */
package clinic.booking.privacy;
