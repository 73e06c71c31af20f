/**
 * Erasure on request, what every erasing service shares: how to learn the address an erasure is
 * about without it ever travelling on Kafka (docs/privacy.md).
 */
package clinic.kit.privacy;
