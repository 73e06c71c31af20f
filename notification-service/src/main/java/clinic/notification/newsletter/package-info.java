/**
 * The newsletter with double opt-in: a subscription is PENDING until its single-use token is
 * confirmed, and marketing mail only ever goes to CONFIRMED subscribers.
 */
package clinic.notification.newsletter;
