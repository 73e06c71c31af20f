/**
 * Spring Security resource-server set-up shared by every service: tokens verified with the
 * issuer's public keys (JWKS), the contract's role rules, service tokens for internal calls.
 */
package clinic.kit.security;
