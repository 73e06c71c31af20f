/**
 * The notification log: one row per (source event, template, recipient), written in the source
 * event's transaction and read by staff. Sending is the dispatcher's job, never the writer's.
 */
package clinic.notification.notification;
