/**
 * Sign-in: users from configuration with bcrypt hashes, short-lived tokens from the issuer
 * ({@code clinic.gateway.issuer}), and per-username throttling of failed attempts.
 */
package clinic.gateway.auth;
