package clinic.contracts.privacy;

/**
 * Topic and wire types of an erasure on request (docs/privacy.md). Key of every record: the erasure
 * id. booking-service owns the request and publishes {@link #ERASURE_REQUESTED}; every service holding
 * personal data (booking, callback, notification, offer) answers with {@link #ERASURE_COMPLETED}.
 * Neither carries the address: a service asks booking-service for it over an internal endpoint.
 */
public final class PrivacyTopics {
    private PrivacyTopics() {}

    public static final String TOPIC = "privacy.events";
    public static final String ERASURE_REQUESTED = "privacy.erasure_requested.v1";
    public static final String ERASURE_COMPLETED = "privacy.erasure_completed.v1";

    /** The services that must report before an erasure is DONE (the {@code service} of a completion). */
    public static final java.util.List<String> ERASING_SERVICES =
            java.util.List.of("booking-service", "callback-service", "notification-service", "offer-service");
}
