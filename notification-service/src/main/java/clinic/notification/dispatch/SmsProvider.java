package clinic.notification.dispatch;

/**
 * Sends a text message. Blocking; the dispatcher calls it off the event loop. Throw to have the
 * message retried with backoff.
 */
public interface SmsProvider {
    void send(String phoneE164, String text);
}
