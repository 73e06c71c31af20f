/**
 * Where requests go: service instances behind each route, headers passed on and taken back,
 * and the 503 problem that stands in for a service that is down or too slow.
 */
package clinic.gateway.routing;
