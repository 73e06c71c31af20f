/**
 * Delivery: claims due notifications without overlapping other instances, sends them (SMTP or SMS
 * provider) off the event loop, and records SENT, RETRYING with backoff, FAILED or SUPPRESSED
 * together with the event analytics counts.
 */
package clinic.notification.dispatch;
