package clinic.notification.newsletter.web;

/** ACCEPTED (check your inbox), CONFIRMED or UNSUBSCRIBED. */
public record SubscriptionStatus(String status) {}
