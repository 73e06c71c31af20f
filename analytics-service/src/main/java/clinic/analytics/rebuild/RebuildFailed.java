package clinic.analytics.rebuild;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/**
 * The replay stopped before the end offsets. The read models hold only part of the history until
 * a rebuild succeeds, so the caller is told to run it again.
 */
public class RebuildFailed extends ClinicException {
    public RebuildFailed(String reason, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "rebuild_failed", "Rebuild failed",
                "The rebuild stopped before the end (" + reason + "); run it again");
        initCause(cause);
    }
}
