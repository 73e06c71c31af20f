package clinic.analytics.rebuild;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** Another rebuild is running in this instance. */
public class RebuildInProgress extends ClinicException {
    public RebuildInProgress() {
        super(HttpStatus.CONFLICT, "rebuild_in_progress", "Rebuild in progress",
                "A rebuild of the analytics read models is already running");
    }
}
