package clinic.kit.web;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.Optional;

/**
 * Phone numbers as customers write them: UK numbers ("07700 900123") or any E.164 number, checked
 * against real numbering plans and normalised to E.164. One reading for every service, so the number
 * booking-service stores is the one a desk search (and callback-service) finds.
 *
 * <p>Needs libphonenumber on the class path; the kit declares it optional, so only the services that
 * read phone numbers (booking, callback) carry its metadata.
 */
public final class PhoneNumbers {
    /** A number without a country code is read as a UK number. */
    public static final String DEFAULT_REGION = "GB";
    /**
     * The contract's {@code maxLength} for every phone field (docs/api/openapi.yaml): longer input is
     * refused before parsing, so a hostile megabyte never reaches the parser.
     */
    public static final int MAX_LENGTH = 32;
    /** The problem detail of an invalid number, the same wording in every service. */
    public static final String INVALID = "must be a valid UK or international (E.164) phone number";

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {}

    /** The number in E.164, or empty when it is blank, too long or not a valid number. */
    public static Optional<String> toE164(String input) {
        if (input == null || input.isBlank() || input.length() > MAX_LENGTH) return Optional.empty();
        try {
            var number = UTIL.parse(input.strip(), DEFAULT_REGION);
            if (!UTIL.isValidNumber(number)) return Optional.empty();
            return Optional.of(UTIL.format(number, PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** The number in E.164, or a 400 {@code validation_failed} naming {@code field}. */
    public static String required(String input, String field) {
        return toE164(input).orElseThrow(() -> ClinicException.invalid(field, INVALID));
    }
}
