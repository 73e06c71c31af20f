/**
 * The services that own the personal data notification-service writes to: events carry ids only
 * (docs/adr/0007), so the contact details and the manage link are asked for when a message is made.
 */
package clinic.notification.owners;
