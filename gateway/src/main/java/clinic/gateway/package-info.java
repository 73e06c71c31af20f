/**
 * The platform's only public door: routes the contract's paths to the services, signs users in,
 * enforces the role rules and protects the services from abuse and from each other's outages.
 */
package clinic.gateway;
