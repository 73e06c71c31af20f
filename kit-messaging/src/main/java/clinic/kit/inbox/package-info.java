/**
 * Idempotent consumption: each event id is recorded per consumer in the handler's own
 * transaction; retries with backoff, then a dead-letter topic with the reason.
 */
package clinic.kit.inbox;
