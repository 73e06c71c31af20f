package clinic.booking.booking;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Optional;

/** UK numbers as people write them ("07700 900123") or any E.164 number, normalised to E.164. */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {}

    public static Optional<String> toE164(String input) {
        if (input == null || input.isBlank() || input.length() > 32) return Optional.empty();
        try {
            var number = UTIL.parse(input.trim(), "GB");
            if (!UTIL.isValidNumber(number)) return Optional.empty();
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
