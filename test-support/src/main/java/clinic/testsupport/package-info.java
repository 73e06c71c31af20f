/**
 * Real Kafka and PostgreSQL for tests. Order of preference: CLINIC_TEST_KAFKA / CLINIC_TEST_DB_URL
 * when set; Testcontainers when a Docker engine answers; otherwise a KRaft broker process and an
 * embedded PostgreSQL that this JVM starts (and stops) itself. {@link clinic.testsupport.OtlpReceiver}
 * stands in for a trace collector.
 */
package clinic.testsupport;
