/**
 * UK GDPR requests through the gateway: a subject access export gathered from every service that
 * holds personal data, whole or not at all (docs/privacy.md).
 */
package clinic.gateway.privacy;
