package clinic.offer.offers;

import clinic.kit.web.ClinicException.Violation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What marketing asks for. {@link #violations} holds the rules that span fields (single-field
 * rules are also annotated on the web request); every problem names the field to fix.
 */
public record NewOffer(
        String code,
        String title,
        String description,
        Integer percentOff,
        Long amountOffPence,
        String treatmentCategory,
        List<String> treatmentIds,
        List<String> locationIds,
        Instant startsAt,
        Instant endsAt,
        Integer maxRedemptions,
        Integer maxRedemptionsPerCustomer,
        Long minimumPricePence,
        boolean announce) {

    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9-]{3,32}");

    public NewOffer {
        code = code == null ? null : code.trim().toUpperCase(Locale.ROOT);
        treatmentIds = treatmentIds == null ? List.of() : List.copyOf(treatmentIds);
        locationIds = locationIds == null ? List.of() : List.copyOf(locationIds);
        treatmentCategory = treatmentCategory == null || treatmentCategory.isBlank() ? null : treatmentCategory.trim();
        // PostgreSQL keeps microseconds; so does the offer from the start.
        startsAt = startsAt == null ? null : startsAt.truncatedTo(ChronoUnit.MICROS);
        endsAt = endsAt == null ? null : endsAt.truncatedTo(ChronoUnit.MICROS);
    }

    public int perCustomerLimit() {
        return maxRedemptionsPerCustomer == null ? 1 : maxRedemptionsPerCustomer;
    }

    public List<Violation> violations(Instant now) {
        List<Violation> v = new ArrayList<>();
        if (code == null || code.isEmpty()) v.add(new Violation("code", "is required"));
        else if (!CODE.matcher(code).matches()) {
            v.add(new Violation("code", "must be 3 to 32 letters, digits or '-'"));
        }
        if (title == null || title.isBlank()) v.add(new Violation("title", "is required"));
        if (percentOff == null && amountOffPence == null) {
            v.add(new Violation("percentOff", "either percentOff or amountOffPence is required"));
        } else if (percentOff != null && amountOffPence != null) {
            v.add(new Violation("amountOffPence", "cannot be combined with percentOff"));
        }
        if (percentOff != null && (percentOff < 1 || percentOff > 100)) {
            v.add(new Violation("percentOff", "must be between 1 and 100"));
        }
        if (amountOffPence != null && amountOffPence < 1) v.add(new Violation("amountOffPence", "must be at least 1"));
        if (treatmentCategory == null && treatmentIds.isEmpty()) {
            v.add(new Violation("treatmentCategory", "either treatmentCategory or treatmentIds is required"));
        } else if (treatmentCategory != null && !treatmentIds.isEmpty()) {
            v.add(new Violation("treatmentIds", "cannot be combined with treatmentCategory"));
        }
        if (treatmentIds.stream().anyMatch(id -> id == null || id.isBlank())) {
            v.add(new Violation("treatmentIds", "must not contain blank ids"));
        }
        if (locationIds.stream().anyMatch(id -> id == null || id.isBlank())) {
            v.add(new Violation("locationIds", "must not contain blank ids"));
        }
        if (startsAt == null) v.add(new Violation("startsAt", "is required"));
        if (endsAt == null) v.add(new Violation("endsAt", "is required"));
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            v.add(new Violation("endsAt", "must be after startsAt"));
        } else if (endsAt != null && !endsAt.isAfter(now)) {
            v.add(new Violation("endsAt", "must be in the future"));
        }
        if (maxRedemptions != null && maxRedemptions < 1) v.add(new Violation("maxRedemptions", "must be at least 1"));
        if (maxRedemptionsPerCustomer != null && maxRedemptionsPerCustomer < 1) {
            v.add(new Violation("maxRedemptionsPerCustomer", "must be at least 1"));
        }
        if (minimumPricePence != null && minimumPricePence < 0) {
            v.add(new Violation("minimumPricePence", "must not be negative"));
        }
        return v;
    }
}
