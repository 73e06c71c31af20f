package clinic.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Small building blocks shared by the system tests: a free slot, a booking body, a callback body. */
public final class Journeys {
    static final ZoneId LONDON = ZoneId.of("Europe/London");

    private Journeys() {}

    /**
     * The first Monday–Friday at least {@code daysAhead} days from today (clinic local date) that is
     * not a closure day (a bank holiday such as Boxing Day has no slots).
     */
    static LocalDate weekdayAhead(int daysAhead) {
        return Platform.get().openWeekday(LocalDate.now(LONDON).plusDays(daysAhead));
    }

    /** Free slots for one location, treatment and day, as the public API lists them. */
    static JsonNode slots(Platform p, String location, String treatment, LocalDate date) {
        var r = p.get("/api/availability?locationId=" + location + "&treatmentId=" + treatment + "&date=" + date);
        if (r.status() != 200) throw new IllegalStateException("availability: " + r.status() + " " + r.body());
        return r.body().get("slots");
    }

    static Map<String, Object> booking(String location, String treatment, JsonNode slot, String email, String promo) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locationId", location);
        body.put("treatmentId", treatment);
        body.put("therapistId", slot.get("therapistId").asText());
        body.put("startsAt", slot.get("startsAt").asText());
        body.put("customer", Map.of("name", "Sam Taylor", "email", email, "phone", "07700 100123"));
        if (promo != null) body.put("promoCode", promo);
        return body;
    }

    /**
     * An offer body: {@code percentOff} off sports massage, live from three seconds from now for 60
     * days, at most five redemptions.
     */
    static Map<String, Object> sportsMassageOffer(String code, String title, String description, int percentOff) {
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", code);
        offer.put("title", title);
        offer.put("description", description);
        offer.put("percentOff", percentOff);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", java.time.Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        offer.put("endsAt", java.time.Instant.now().plus(60, java.time.temporal.ChronoUnit.DAYS)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        offer.put("maxRedemptions", 5);
        return offer;
    }

    public static Map<String, Object> callback(String name, String email, String location) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        // A distinct valid UK mobile per request, so the 10-minute duplicate rule does not merge them.
        body.put("phone", uniqueMobile());
        if (email != null) body.put("email", email);
        body.put("locationId", location);
        body.put("preferredTime", "morning");
        body.put("message", "Knee pain after running");
        body.put("consent", Map.of("termsAndPrivacy", true, "policyVersion", "2026-01"));
        return body;
    }

    /**
     * A valid UK mobile in E.164 (+44 771x xxxxxx) that no other request of this run uses: callback
     * requests from one number within ten minutes are merged into one task, so a test that looks for
     * its own request must not share a number with another test (or drill).
     */
    public static String uniqueMobile() {
        return "+44771" + String.format("%07d", java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000_000));
    }

    static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
