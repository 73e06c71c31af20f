/**
 * Transactional outbox: events are rows written with the state change, and a single active relay
 * per service moves them to Kafka. Nothing is published that did not commit; nothing committed is lost.
 */
package clinic.kit.outbox;
