/**
 * Notifications as analytics sees them: one {@code notification_fact} row per notification with
 * its final outcome (SENT or FAILED), counted by the day it was created.
 */
package clinic.analytics.notifications;
