package clinic.contracts.callback;

/** Topic and wire types of callback-service. Key of every record: the callback id. */
public final class CallbackTopics {
    private CallbackTopics() {}

    public static final String TOPIC = "callback.events";
    public static final String REQUESTED = "callback.requested.v1";
    public static final String CLAIMED = "callback.claimed.v1";
    public static final String RELEASED = "callback.released.v1";
    public static final String ATTEMPTED = "callback.attempted.v1";
    public static final String COMPLETED = "callback.completed.v1";
    public static final String SLA_BREACHED = "callback.sla_breached.v1";
    /** Version 2: no personal data, no free-text notes (docs/adr/0007). Published since 1.1. */
    public static final String REQUESTED_V2 = "callback.requested.v2";
    public static final String ATTEMPTED_V2 = "callback.attempted.v2";
    public static final String COMPLETED_V2 = "callback.completed.v2";
}
