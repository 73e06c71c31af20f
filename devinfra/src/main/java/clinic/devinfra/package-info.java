/**
 * Real infrastructure without Docker: a KRaft Kafka broker from Kafka's own jars, an embedded
 * PostgreSQL (zonky) and a capturing SMTP server (GreenMail). Used by the {@code clinic} run
 * script (one process per part, so each can be stopped on its own) and by the tests.
 */
package clinic.devinfra;
