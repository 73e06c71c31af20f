/**
 * The one synchronous hop: promo-code reservations at offer-service, behind a short timeout, one
 * retry of the idempotent call and a circuit breaker, so a down offer-service costs a fast 503.
 * The breaker, retry and time limiters are resilience4j instances configured by name in
 * application.yml ({@code resilience4j.*.instances.offer-service}), taken from the registries
 * resilience4j-spring-boot3 builds, so actuator and Micrometer see them without hand wiring.
 */
package clinic.booking.offers;
