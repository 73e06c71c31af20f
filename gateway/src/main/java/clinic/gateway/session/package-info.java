/**
 * The web front's sign-in: a server-side session in the gateway's database behind an HttpOnly,
 * SameSite=Strict cookie, so no token is ever readable by page scripts. {@link
 * clinic.gateway.session.SessionFilter} turns the cookie into a short-lived bearer token of the
 * gateway's own issuer on each request (cached per session), so the services keep seeing bearer
 * tokens; cookie-authenticated writes need the session's CSRF token. API clients keep using
 * {@code POST /api/auth/login} and bearer tokens, untouched by any of this.
 */
package clinic.gateway.session;
