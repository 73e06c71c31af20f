/**
 * Data minimisation: personal data of completed requests is erased after the retention period;
 * ids, times, outcome and location stay for analytics.
 */
package clinic.callback.privacy;
