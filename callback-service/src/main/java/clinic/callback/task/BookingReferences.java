package clinic.callback.task;

import clinic.kit.web.ClinicException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The booking a callback ended in, as staff type it. booking-service makes references as
 * {@code BK-} and six characters of an alphabet without 0/O or 1/I/L (its {@code Secrets}); this
 * copy of the shape only stops typing slips. Whether the booking exists is not checked: that would
 * be a run-time call to booking-service, which the platform avoids.
 */
public final class BookingReferences {
    public static final String FIELD = "bookingReference";
    private static final Pattern SHAPE = Pattern.compile("BK-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}");

    private BookingReferences() {}

    /**
     * The reference in the form booking-service writes it (read out over the phone, it may be typed
     * in lower case or with spaces around it), or null when none was given.
     *
     * @throws ClinicException 400 {@code validation_failed} on {@code bookingReference} when it is
     *                         not a reference, or is given with an outcome other than BOOKED
     */
    public static String check(String raw, CompletionOutcome outcome) {
        if (raw == null || raw.isBlank()) return null;
        if (outcome != CompletionOutcome.BOOKED) {
            throw ClinicException.invalid(FIELD, "may only be given with outcome BOOKED");
        }
        String reference = raw.strip().toUpperCase(Locale.ROOT);
        if (!SHAPE.matcher(reference).matches()) {
            throw ClinicException.invalid(FIELD, "must be a booking reference such as BK-7K3M9Q");
        }
        return reference;
    }
}
