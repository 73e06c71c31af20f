package clinic.gateway.privacy;

import clinic.kit.web.ClinicException;
import java.util.Collection;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A part of an export did not come: the answer is refused rather than shown incomplete as if whole. */
class ExportIncomplete extends ClinicException {
    ExportIncomplete(Collection<String> missing) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "Temporarily unavailable",
                "Not every service holding personal data answered; please try again shortly",
                Map.of("missing", java.util.List.copyOf(missing)));
    }
}
