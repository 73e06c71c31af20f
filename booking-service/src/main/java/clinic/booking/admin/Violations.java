package clinic.booking.admin;

import clinic.kit.web.ClinicException;
import clinic.kit.web.ClinicException.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/** Collects every invalid field of a request, then fails it once with all of them (400 validation_failed). */
final class Violations {
    static final Pattern ID = Pattern.compile("[a-z0-9-]{2,40}");

    private final List<Violation> list = new ArrayList<>();

    Violations add(String field, String message) {
        list.add(new Violation(field, message));
        return this;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** Required text of at most {@code max} characters. */
    Violations text(String field, String value, int max) {
        if (value == null || value.isBlank()) add(field, "must not be blank");
        else if (value.length() > max) add(field, "size must be at most " + max);
        return this;
    }

    /** Optional text of at most {@code max} characters. */
    Violations optionalText(String field, String value, int max) {
        if (value != null && value.length() > max) add(field, "size must be at most " + max);
        return this;
    }

    Violations id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            add(field, "must be 2 to 40 lowercase letters, digits or hyphens");
        }
        return this;
    }

    void throwIfAny() {
        if (!list.isEmpty()) throw failure(list);
    }

    static ClinicException failure(List<Violation> violations) {
        return new ClinicException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                "The request has invalid fields", Map.of("violations", List.copyOf(violations)));
    }
}
