package clinic.offer.promo;

import clinic.kit.web.ClinicException;
import clinic.offer.offers.Offer;
import clinic.offer.offers.Rejection;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A promo code that cannot be used for this booking: 422 with the reason's stable code. When the
 * code names an offer, the problem also says when and for what it applies (offer window and scope fields), so a
 * customer told "expired" about a code the home page advertises learns that it is for February,
 * not that it is dead.
 */
public class PromoCodeRejected extends ClinicException {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    private final Rejection rejection;
    private final transient Offer offer;

    public PromoCodeRejected(Rejection rejection) {
        this(rejection, null);
    }

    public PromoCodeRejected(Rejection rejection, Offer offer) {
        this(rejection, offer, offer != null && offer.status().isOver());
    }

    private PromoCodeRejected(Rejection rejection, Offer offer, boolean over) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, rejection.code(), rejection.title(), detail(rejection, offer, over),
                scope(rejection, offer, over));
        this.rejection = rejection;
        this.offer = offer;
    }

    /**
     * {@code promo_code_expired} because a time lies outside the offer's window, whatever the
     * offer's status: the answer says "valid for appointments from … to …", not "has ended".
     */
    public static PromoCodeRejected outsideWindow(Offer offer) {
        return new PromoCodeRejected(Rejection.EXPIRED, offer, false);
    }

    public Rejection rejection() {
        return rejection;
    }

    /** The offer the code means, when it names one (null for an unknown code). */
    public Offer offer() {
        return offer;
    }

    /**
     * The offer's window and scope, for an expired or not-applicable code only (for the others
     * the offer's dates and scope are not the reason). {@code offerLastDay} is the window's last
     * local day, inclusive, the way the home page and the console show it.
     */
    private static Map<String, Object> scope(Rejection rejection, Offer offer, boolean over) {
        if (offer == null || (rejection != Rejection.EXPIRED && rejection != Rejection.NOT_APPLICABLE)) return Map.of();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("offerTitle", offer.title());
        p.put("offerStartsAt", offer.startsAt());
        p.put("offerEndsAt", offer.endsAt());
        p.put("offerFirstDay", offer.startsAt().atZone(LONDON).toLocalDate().toString());
        p.put("offerLastDay", lastDay(offer).toString());
        p.put("offerOver", over);
        if (offer.treatmentCategory() != null) p.put("treatmentCategory", offer.treatmentCategory());
        else p.put("treatmentIds", offer.treatmentIds());
        p.put("locationIds", offer.locationIds());
        return p;
    }

    private static java.time.LocalDate lastDay(Offer offer) {
        // endsAt is exclusive: an offer ending at 1 March 00:00 has 28 February as its last day.
        return offer.endsAt().minusNanos(1).atZone(LONDON).toLocalDate();
    }

    private static String detail(Rejection rejection, Offer offer, boolean over) {
        if (offer == null) return rejection.detail();
        if (rejection == Rejection.EXPIRED) {
            if (over) return "The offer behind this code has ended";
            return "This code is valid for appointments from " + DAY.format(offer.startsAt().atZone(LONDON))
                    + " to " + DAY.format(lastDay(offer).atStartOfDay(LONDON));
        }
        if (rejection == Rejection.NOT_APPLICABLE) {
            String what = offer.treatmentCategory() != null ? offer.treatmentCategory().replace('-', ' ')
                    : "selected treatments";
            String where = offer.locationIds().isEmpty() ? "at every clinic" : "at selected clinics only";
            return "This code is for " + what + " " + where;
        }
        return rejection.detail();
    }
}
