package clinic.notification.owners;

import org.springframework.dao.TransientDataAccessException;

/**
 * The owner of the data a message needs did not answer usefully (refused, timed out, 5xx, or
 * refused our token). A transient data-access failure on purpose: the kit's inbox then waits and
 * retries until the owner is back, as it does while the database is away, instead of spending the
 * bounded attempts and dead-lettering the event (mail is late, never lost).
 */
public class OwnerUnavailable extends TransientDataAccessException {
    public OwnerUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
