/** HTTP view of the notification log for staff. */
package clinic.notification.notification.web;
