package clinic.gateway.account;

import clinic.kit.web.ClinicException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** At least 12 characters and not in the shipped list of common passwords (NIST 800-63B: length and a blocklist, no composition rules). */
@Component
class PasswordPolicy {
    static final int MIN_LENGTH = 12;
    /** bcrypt reads no further. */
    static final int MAX_BYTES = 72;
    private final Set<String> common = new HashSet<>();

    PasswordPolicy() {
        try (var in = new BufferedReader(new InputStreamReader(
                new ClassPathResource("common-passwords.txt").getInputStream(), StandardCharsets.UTF_8))) {
            in.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(l -> common.add(l.toLowerCase(Locale.ROOT)));
        } catch (IOException e) {
            throw new IllegalStateException("common-passwords.txt is missing", e);
        }
    }

    void check(String password) {
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw weak("Choose a password of at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw weak("Choose a password of at most " + MAX_BYTES + " bytes");
        }
        if (common.contains(password.toLowerCase(Locale.ROOT))) {
            throw weak("That password is too common: choose another");
        }
    }

    private static ClinicException weak(String detail) {
        return new ClinicException(HttpStatus.BAD_REQUEST, "weak_password", "Weak password", detail);
    }
}
