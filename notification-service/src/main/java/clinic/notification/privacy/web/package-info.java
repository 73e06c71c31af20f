/** HTTP of privacy: notification-service's part of an export. */
package clinic.notification.privacy.web;
