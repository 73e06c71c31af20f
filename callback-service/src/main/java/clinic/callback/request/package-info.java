/**
 * The public "request a callback" use case: validation, consent per purpose, abuse guards
 * (honeypot, same phone within minutes, Idempotency-Key) and the task it creates.
 */
package clinic.callback.request;
