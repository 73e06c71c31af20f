/**
 * Spans for the kit's W3C trace context: server spans per request, producer spans per relayed
 * event, consumer spans per handled event, exported over OTLP/HTTP only when an endpoint is set.
 */
package clinic.kit.tracing;
