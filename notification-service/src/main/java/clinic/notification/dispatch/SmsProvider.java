package clinic.notification.dispatch;

/**
 * Sends a text message. Blocking; the dispatcher calls it off the event loop. Throw to have the
 * message retried with backoff.
 */
public interface SmsProvider {
    void send(String phoneE164, String text);

    /**
     * Whether {@link #send} hands the message to a carrier. A stand-in that only records it answers
     * {@code false}, and the dispatcher then marks the message SUPPRESSED with the reason, never
     * SENT: a logged text is not a delivered one, and the delivery log and metrics must not say so.
     */
    default boolean delivers() {
        return true;
    }
}
