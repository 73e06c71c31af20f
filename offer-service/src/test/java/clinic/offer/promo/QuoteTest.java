package clinic.offer.promo;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.offer.OfferServiceTestBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriBuilder;

/** {@code GET /api/offers/quote}: priced from the catalogue copy, refused with the contract's codes. */
class QuoteTest extends OfferServiceTestBase {
    private final Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    private final Instant end = start.plus(Duration.ofDays(30));
    private final Instant appointment = start.plus(Duration.ofDays(3));

    @Autowired MeterRegistry meters;

    @Test
    void aValidCodeGivesTheDiscountRoundedInTheCustomersFavour() {
        String code = uniqueCode("Q15");
        var body = offer(code, start, end);
        body.put("percentOff", 15);
        createOffer(body);
        assertThat(quote(code.toLowerCase(), "sports-massage-45", "sheffield", appointment, "a@example.com"))
                .containsEntry("valid", true).containsEntry("pricePence", 4550)
                .containsEntry("discountPence", 683).containsEntry("totalPence", 3867)
                .containsEntry("promoCode", code).doesNotContainKey("code");

        String physio = uniqueCode("Q10");
        var physioOffer = offer(physio, start, end);
        physioOffer.put("treatmentCategory", "physiotherapy");
        createOffer(physioOffer);
        assertThat(quote(physio, "physio-assessment", "sheffield", appointment, null))
                .containsEntry("valid", true).containsEntry("discountPence", 495).containsEntry("totalPence", 4455);

        String fixed = uniqueCode("FIX");
        var fixedOffer = offer(fixed, start, end);
        fixedOffer.remove("percentOff");
        fixedOffer.put("amountOffPence", 4000);
        createOffer(fixedOffer);
        assertThat(quote(fixed, "sports-massage-30", "sheffield", appointment, null))
                .containsEntry("discountPence", 3500).containsEntry("totalPence", 0);
    }

    @Test
    void everyReasonARefusalCanHaveIsAnswered() {
        String code = uniqueCode("QX");
        var body = offer(code, start, end);
        body.put("locationIds", List.of("sheffield"));
        body.put("minimumPricePence", 4000);
        body.put("maxRedemptions", 1);
        createOffer(body);

        Map<String, Double> before = quoteRejections();
        assertThat(quote("NO-SUCH-CODE", "sports-massage-60", "sheffield", appointment, null)).containsAllEntriesOf(refused("promo_code_unknown"));
        assertThat(quote("bad code!", "sports-massage-60", "sheffield", appointment, null)).containsAllEntriesOf(refused("promo_code_unknown"));
        assertThat(quote(code, "sports-massage-60", "sheffield", end, null)).containsAllEntriesOf(refused("promo_code_expired"));
        assertThat(quote(code, "sports-massage-60", "sheffield", start.minusSeconds(1), null)).containsAllEntriesOf(refused("promo_code_expired"));
        assertThat(quote(code, "physio-assessment", "sheffield", appointment, null)).containsAllEntriesOf(refused("promo_code_not_applicable"));
        assertThat(quote(code, "sports-massage-60", "doncaster", appointment, null)).containsAllEntriesOf(refused("promo_code_not_applicable"));
        assertThat(quote(code, "sports-massage-30", "sheffield", appointment, null)).containsAllEntriesOf(refused("promo_code_not_applicable"));

        reserve(reservation(code, "First@Example.com", appointment)).expectStatus().isOk();
        // The customer who took the only place has used their one; anyone else finds none left.
        assertThat(quote(code, "sports-massage-60", "sheffield", appointment, "first@example.com"))
                .containsAllEntriesOf(refused("promo_code_already_used"));
        assertThat(quote(code, "sports-massage-60", "sheffield", appointment, "second@example.com"))
                .containsAllEntriesOf(refused("promo_code_exhausted"));
        // Every refused quote is counted under its code (the dashboard's promo-rejections panel).
        Map<String, Double> after = quoteRejections();
        assertThat(after.get("promo_code_unknown") - before.get("promo_code_unknown")).isEqualTo(2);
        assertThat(after.get("promo_code_expired") - before.get("promo_code_expired")).isEqualTo(2);
        assertThat(after.get("promo_code_not_applicable") - before.get("promo_code_not_applicable")).isEqualTo(3);
        assertThat(after.get("promo_code_already_used") - before.get("promo_code_already_used")).isEqualTo(1);
        assertThat(after.get("promo_code_exhausted") - before.get("promo_code_exhausted")).isEqualTo(1);

        // After the window has closed, even an appointment inside it is too late to book.
        clock.setTo(end.plusSeconds(1));
        assertThat(quote(code, "sports-massage-60", "sheffield", appointment, "second@example.com"))
                .containsAllEntriesOf(refused("promo_code_expired"));
    }

    @Test
    void aWindowOfLocalDaysAcrossTheOctoberClockChangeBehavesInLocalTime() {
        ZoneId london = ZoneId.of("Europe/London");
        clock.setTo(Instant.parse("2026-10-20T12:00:00Z"));
        String code = uniqueCode("OCT");
        createOffer(offer(code, LocalDateTime.of(2026, 10, 25, 0, 0).atZone(london).toInstant(),
                LocalDateTime.of(2026, 10, 26, 0, 0).atZone(london).toInstant()));
        // Sent with the local offset, as a front end in London would.
        assertThat(quote(code, "sports-massage-60", "sheffield", "2026-10-25T23:30:00+00:00", null))
                .containsEntry("valid", true);
        assertThat(quote(code, "sports-massage-60", "sheffield", "2026-10-25T00:15:00+01:00", null))
                .containsEntry("valid", true);
        assertThat(quote(code, "sports-massage-60", "sheffield", "2026-10-24T23:59:00+01:00", null))
                .containsAllEntriesOf(refused("promo_code_expired"));
        assertThat(quote(code, "sports-massage-60", "sheffield", "2026-10-26T00:00:00+00:00", null))
                .containsAllEntriesOf(refused("promo_code_expired"));
    }

    @Test
    void aRefusalSaysWhenAndForWhatTheCodeApplies() {
        ZoneId london = ZoneId.of("Europe/London");
        clock.setTo(Instant.parse("2026-12-06T12:00:00Z"));
        String code = uniqueCode("FEB");
        var body = offer(code, LocalDateTime.of(2027, 2, 1, 0, 0).atZone(london).toInstant(),
                LocalDateTime.of(2027, 3, 1, 0, 0).atZone(london).toInstant());
        body.put("locationIds", List.of("sheffield", "rotherham"));
        createOffer(body);

        // A December slot: not "expired" as if the code were dead, but when it applies.
        var december = quote(code, "sports-massage-60", "sheffield", "2026-12-10T10:00:00Z", null);
        assertThat(december).containsEntry("valid", false).containsEntry("code", "promo_code_expired")
                .containsEntry("detail", "This code is valid for appointments from 1 February 2027 to 28 February 2027")
                .containsEntry("offerFirstDay", "2027-02-01").containsEntry("offerLastDay", "2027-02-28")
                .containsEntry("offerStartsAt", "2027-02-01T00:00:00Z").containsEntry("offerEndsAt", "2027-03-01T00:00:00Z")
                .containsEntry("offerOver", false).containsEntry("treatmentCategory", "sports-massage")
                .containsEntry("locationIds", List.of("sheffield", "rotherham"));

        // Another clinic, another treatment: which ones the code is for.
        var doncaster = quote(code, "sports-massage-60", "doncaster", "2027-02-10T10:00:00Z", null);
        assertThat(doncaster).containsEntry("code", "promo_code_not_applicable")
                .containsEntry("detail", "This code is for sports massage at selected clinics only")
                .containsEntry("locationIds", List.of("sheffield", "rotherham"))
                .containsEntry("treatmentCategory", "sports-massage");
        assertThat(quote(code, "physio-assessment", "sheffield", "2027-02-10T10:00:00Z", null))
                .containsEntry("code", "promo_code_not_applicable").containsEntry("treatmentCategory", "sports-massage");

        // An unknown code names no offer; a code inside its window is simply valid.
        assertThat(quote("NO-SUCH-CODE", "sports-massage-60", "sheffield", "2027-02-10T10:00:00Z", null))
                .containsOnlyKeys("valid", "code", "detail");
        assertThat(quote(code, "sports-massage-60", "sheffield", "2027-02-28T17:00:00Z", null)).containsEntry("valid", true)
                .doesNotContainKeys("detail", "offerLastDay");
    }

    @Test
    void badInputIsNamedAndATreatmentTheCopyDoesNotKnowIsNotApplicable() {
        problem(u -> u.queryParam("code", "X1X").queryParam("treatmentId", "sports-massage-60"), 400, "validation_failed",
                "startsAt");
        problem(u -> u.queryParam("code", "X1X").queryParam("treatmentId", "sports-massage-60")
                .queryParam("startsAt", "tomorrow"), 400, "validation_failed", "startsAt");
        problem(u -> u.queryParam("code", "X1X").queryParam("treatmentId", "nul\u0000byte")
                .queryParam("startsAt", appointment.toString()), 400, "validation_failed", "treatmentId");

        // A live offer on the category every sports massage has: a treatment this service has not
        // heard of cannot be priced, so the code does not apply to it (no 5xx, no blame on the caller)...
        String code = uniqueCode("QU");
        createOffer(offer(code, start, end));
        Map<String, Double> before = quoteRejections();
        assertThat(quote(code, "no-such-treatment", "sheffield", appointment, null))
                .containsAllEntriesOf(refused("promo_code_not_applicable"));
        // ... while what is wrong with the code itself is still said first.
        assertThat(quote("NO-SUCH-CODE", "no-such-treatment", "sheffield", appointment, null))
                .containsAllEntriesOf(refused("promo_code_unknown"));
        assertThat(quote(code, "no-such-treatment", "sheffield", end, null)).containsAllEntriesOf(refused("promo_code_expired"));
        Map<String, Double> after = quoteRejections();
        assertThat(after.get("promo_code_not_applicable") - before.get("promo_code_not_applicable")).isEqualTo(1);
    }

    private void problem(java.util.function.Function<UriBuilder, UriBuilder> query, int status, String code, String field) {
        var body = web.get().uri(u -> query.apply(u.path("/api/offers/quote")).build()).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JSON).returnResult().getResponseBody();
        assertThat(body).containsEntry("code", code);
        if (field != null) assertThat(body.get("violations").toString()).contains("field=" + field);
    }

    private Map<String, Double> quoteRejections() {
        var counts = new java.util.TreeMap<String, Double>();
        meters.find(PromoRejections.METRIC).tag("operation", "quote").counters()
                .forEach(c -> counts.put(c.getId().getTag("code"), c.count()));
        return counts;
    }

    private static Map<String, Object> refused(String code) {
        return Map.of("valid", false, "code", code);
    }

    private Map<String, Object> quote(String code, String treatmentId, String locationId, Instant at, String email) {
        return quote(code, treatmentId, locationId, at.toString(), email);
    }

    private Map<String, Object> quote(String code, String treatmentId, String locationId, String at, String email) {
        return web.get().uri(u -> {
                    u.path("/api/offers/quote").queryParam("code", code).queryParam("treatmentId", treatmentId)
                            .queryParam("locationId", locationId).queryParam("startsAt", "{at}");
                    if (email != null) u.queryParam("email", "{email}");
                    return email != null ? u.build(at, email) : u.build(at);
                })
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }
}
