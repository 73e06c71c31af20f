package clinic.offer.offers.web;

import clinic.offer.offers.NewOffer;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** {@code POST /api/marketing/offers}. Rules across fields are checked by {@link NewOffer#violations}. */
record CreateOfferRequest(
        @NotBlank @Pattern(regexp = "\\s*[A-Za-z0-9-]{3,32}\\s*", message = "must be 3 to 32 letters, digits or '-'")
        String code,
        @NotBlank @Size(max = 120) String title,
        @Size(max = 2000) String description,
        @Min(1) @Max(100) Integer percentOff,
        @Min(1) Long amountOffPence,
        @Size(max = 100) String treatmentCategory,
        @Size(max = 200) List<String> treatmentIds,
        @Size(max = 200) List<String> locationIds,
        @NotNull Instant startsAt,
        @NotNull Instant endsAt,
        @Min(1) Integer maxRedemptions,
        @Min(1) Integer maxRedemptionsPerCustomer,
        @PositiveOrZero Long minimumPricePence,
        Boolean announce) {

    NewOffer toNewOffer() {
        return new NewOffer(code, title, description, percentOff, amountOffPence, treatmentCategory, treatmentIds,
                locationIds, startsAt, endsAt, maxRedemptions, maxRedemptionsPerCustomer, minimumPricePence,
                Boolean.TRUE.equals(announce));
    }
}
