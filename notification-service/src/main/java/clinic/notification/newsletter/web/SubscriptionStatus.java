package clinic.notification.newsletter.web;

/**
 * ACCEPTED (check your inbox), CONFIRMED or UNSUBSCRIBED; {@code alreadyConfirmed} is true when a
 * confirmation link was used before (absent otherwise).
 */
public record SubscriptionStatus(String status, Boolean alreadyConfirmed) {
    SubscriptionStatus(String status) {
        this(status, null);
    }
}
