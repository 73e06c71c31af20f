package clinic.contracts.notification;

import java.time.Instant;

/**
 * Someone confirmed a newsletter subscription (the first click on the mailed link; a second click
 * publishes nothing). notification-service, {@code notification.events}, key = subscriptionId,
 * {@code newsletter.confirmed.v1}. Deliberately no email address nor anything else about the person:
 * analytics counts sign-ups, and the platform's events carry ids, not personal data. A subscription
 * that is unsubscribed and confirmed again keeps its id and publishes a new event with a later
 * {@code confirmedAt}.
 */
public record NewsletterConfirmed(
        String subscriptionId,
        Instant confirmedAt) {}
