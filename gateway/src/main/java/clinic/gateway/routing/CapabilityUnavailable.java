package clinic.gateway.routing;

import clinic.kit.web.ClinicException;
import org.springframework.http.HttpStatus;

/** A service is down, too slow or cut off by its circuit breaker; the code names what the client lost. */
class CapabilityUnavailable extends ClinicException {
    CapabilityUnavailable(String capability) {
        super(HttpStatus.SERVICE_UNAVAILABLE, capability + "_unavailable", "Temporarily unavailable",
                ("service".equals(capability) ? "The service is"
                        : Character.toUpperCase(capability.charAt(0)) + capability.substring(1) + " are")
                        + " temporarily unavailable; please try again shortly");
    }
}
