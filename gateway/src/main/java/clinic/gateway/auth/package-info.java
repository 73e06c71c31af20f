/**
 * Sign-in: users from configuration with bcrypt hashes, short-lived tokens signed by the kit's
 * JwtService, and per-username throttling of failed attempts.
 */
package clinic.gateway.auth;
