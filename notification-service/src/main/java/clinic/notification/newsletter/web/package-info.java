/** Public newsletter endpoints: subscribe, confirm, unsubscribe. */
package clinic.notification.newsletter.web;
