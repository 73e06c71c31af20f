/**
 * Staff accounts in the issuer's database: sign-in checks, invitations and password resets by
 * single-use links (mailed by the gateway itself: a link is a secret and never travels through
 * Kafka), roles edited and accounts disabled by an admin.
 */
package clinic.gateway.account;
