/** Offer announcements to confirmed newsletter subscribers when an announced offer goes live. */
package clinic.notification.offer;
