package clinic.offer.offers.web;

import clinic.kit.web.ClinicException;
import clinic.kit.web.ClinicException.Violation;
import clinic.offer.offers.NewOffer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * {@code POST /api/marketing/offers}. Rules across fields are checked by {@link NewOffer#violations},
 * ids against the catalogue by the service. The counts and amounts are read as exact decimals:
 * read straight into an int, JSON's {@code 2.5} would silently become 2 (Jackson truncates), and an
 * offer must never promise something other than what marketing typed.
 */
record CreateOfferRequest(
        @NotBlank @Pattern(regexp = "\\s*[A-Za-z0-9-]{3,32}\\s*", message = "must be 3 to 32 letters, digits or '-'")
        String code,
        @NotBlank @Size(max = 120) String title,
        @Size(max = 2000) String description,
        @DecimalMin("1") @DecimalMax("100") BigDecimal percentOff,
        @DecimalMin("1") BigDecimal amountOffPence,
        @Size(max = 100) String treatmentCategory,
        @Size(max = 200) List<String> treatmentIds,
        @Size(max = 200) List<String> locationIds,
        @NotNull Instant startsAt,
        @NotNull Instant endsAt,
        @DecimalMin("1") BigDecimal maxRedemptions,
        @DecimalMin("1") BigDecimal maxRedemptionsPerCustomer,
        @DecimalMin("0") BigDecimal minimumPricePence,
        Boolean announce) {

    /** The offer asked for, or 400 {@code validation_failed} naming every number that is not a whole one. */
    NewOffer toNewOffer() {
        List<Violation> inexact = new ArrayList<>();
        Long percent = whole("percentOff", percentOff, Integer.MAX_VALUE, inexact);
        Long amount = whole("amountOffPence", amountOffPence, Long.MAX_VALUE, inexact);
        Long max = whole("maxRedemptions", maxRedemptions, Integer.MAX_VALUE, inexact);
        Long perCustomer = whole("maxRedemptionsPerCustomer", maxRedemptionsPerCustomer, Integer.MAX_VALUE, inexact);
        Long minimum = whole("minimumPricePence", minimumPricePence, Long.MAX_VALUE, inexact);
        if (!inexact.isEmpty()) {
            throw new ClinicException(HttpStatus.BAD_REQUEST, "validation_failed", "Validation failed",
                    "The request has invalid fields", Map.of("violations", inexact));
        }
        return new NewOffer(code, title, description, toInt(percent), amount, treatmentCategory, treatmentIds,
                locationIds, startsAt, endsAt, toInt(max), toInt(perCustomer), minimum,
                Boolean.TRUE.equals(announce));
    }

    /** The value as a whole number (2.0 is 2; 2.5 is refused, not rounded), or null with a violation. */
    private static Long whole(String field, BigDecimal value, long limit, List<Violation> violations) {
        if (value == null) return null;
        BigDecimal exact = value.stripTrailingZeros();
        if (exact.scale() > 0) {
            violations.add(new Violation(field, "must be a whole number"));
            return null;
        }
        if (exact.compareTo(BigDecimal.valueOf(limit)) > 0 || exact.compareTo(BigDecimal.valueOf(-limit)) < 0) {
            violations.add(new Violation(field, "is too large"));
            return null;
        }
        return exact.longValueExact();
    }

    private static Integer toInt(Long value) {
        return value == null ? null : Math.toIntExact(value);
    }
}
