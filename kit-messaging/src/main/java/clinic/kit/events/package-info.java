/** CloudEvents attributes on Kafka records and the consumer's view of an event. */
package clinic.kit.events;
