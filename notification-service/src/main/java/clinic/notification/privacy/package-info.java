/** UK GDPR for messages and the newsletter: a person's part of an export (docs/privacy.md). */
package clinic.notification.privacy;
