package clinic.kit.events;

/**
 * An event that can never be handled (unreadable, or breaking the contract). It goes straight to
 * the dead-letter topic with this message as the reason, without retries.
 */
public class PoisonEvent extends RuntimeException {
    public PoisonEvent(String reason, Throwable cause) {
        super(reason, cause);
    }
}
