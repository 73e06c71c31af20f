/**
 * notification-service's copy of the clinic locations from booking-service's {@code catalogue.events}:
 * the address and phone that booking mails and calendar invitations show.
 */
package clinic.notification.catalogue;
