package clinic.analytics.report;

import clinic.kit.web.ClinicException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A per-day series longer than one response may carry. */
public class PeriodTooLong extends ClinicException {
    public PeriodTooLong(int maxDays) {
        super(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed", "The request has invalid fields",
                Map.of("violations", List.of(new Violation("to", "must be at most " + maxDays + " days after from"))));
    }
}
