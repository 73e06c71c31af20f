/** Signed access tokens and the contract's role rules, enforced at the gateway and again in each service. */
package clinic.kit.security;
