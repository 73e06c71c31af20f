package clinic.analytics.report;

import clinic.kit.web.ClinicException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The from/to parameters are missing, not dates, or the wrong way round. */
public class PeriodInvalid extends ClinicException {
    public PeriodInvalid(List<Violation> violations) {
        super(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed", "The request has invalid fields",
                Map.of("violations", List.copyOf(violations)));
    }
}
