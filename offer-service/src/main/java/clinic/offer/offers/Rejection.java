package clinic.offer.offers;

/**
 * Why a promo code cannot be used, in the contract's precedence order: an unknown code first,
 * then an offer that is over or whose window misses the appointment, then scope, then the
 * customer's own limit, then the total cap.
 */
public enum Rejection {
    UNKNOWN("promo_code_unknown", "Unknown promo code", "No offer has this code"),
    EXPIRED("promo_code_expired", "Promo code expired",
            "The offer is over, or the appointment is outside its dates"),
    NOT_APPLICABLE("promo_code_not_applicable", "Promo code not applicable",
            "The offer does not cover this treatment, location or price"),
    ALREADY_USED("promo_code_already_used", "Promo code already used",
            "This customer has already used the code as often as the offer allows"),
    EXHAUSTED("promo_code_exhausted", "Promo code exhausted", "The offer has no redemptions left");

    private final String code;
    private final String title;
    private final String detail;

    Rejection(String code, String title, String detail) {
        this.code = code;
        this.title = title;
        this.detail = detail;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
