/** Events of notification-service, topic {@code notification.events}, keyed by notification id. */
package clinic.contracts.notification;
