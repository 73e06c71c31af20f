/**
 * Rebuilding the read models from the beginning of every topic consumed, through the same
 * idempotent apply path as live consumption, while the live listeners are paused.
 */
package clinic.analytics.rebuild;
