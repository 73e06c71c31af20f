package clinic.kit.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A domain fact that ends a request with a problem document. Subclass it with a name that states
 * the fact ({@code SlotUnavailable}, {@code PromoCodeExhausted}); the status and the stable
 * {@code code} are the client's contract.
 */
public class ClinicException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Map<String, Object> properties;

    public ClinicException(HttpStatus status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of());
    }

    public ClinicException(HttpStatus status, String code, String title, String detail,
                           Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.properties = properties;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** 404 {@code not_found}: never says whether the thing exists but is hidden. */
    public static ClinicException notFound(String what) {
        return new ClinicException(HttpStatus.NOT_FOUND, "not_found", "Not found", what + " was not found");
    }

    /** 400 {@code validation_failed} for one field, when a check needs more than annotations. */
    public static ClinicException invalid(String field, String message) {
        return new ClinicException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                "The request has invalid fields",
                Map.of("violations", java.util.List.of(new Violation(field, message))));
    }

    public record Violation(String field, String message) {}
}
