/**
 * Settings of analytics-service and the clinic's time zone, which decides what "a day" is in
 * every figure.
 */
package clinic.analytics.config;
