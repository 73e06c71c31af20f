/**
 * Response targets: when a request is due (working hours, not wall-clock hours) and the one-off
 * {@code callback.sla_breached.v1} when an unfinished task passes that time.
 */
package clinic.callback.sla;
