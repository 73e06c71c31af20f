/**
 * Privacy: the contact lookup notification-service uses instead of personal data on events, and
 * data minimisation (personal data of completed requests erased after the retention period; ids,
 * times, outcome and location stay for analytics).
 */
package clinic.callback.privacy;
