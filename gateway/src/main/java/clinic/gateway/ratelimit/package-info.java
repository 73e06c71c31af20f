/**
 * Per-client token buckets (in memory) on public writes and sign-in, answering 429
 * {@code rate_limited} with {@code Retry-After}.
 */
package clinic.gateway.ratelimit;
