/**
 * Per-client token buckets on public writes and sign-in, shared by every gateway instance through
 * the gateway's database (docs/adr/0009), answering 429 {@code rate_limited} with {@code Retry-After}.
 */
package clinic.gateway.ratelimit;
