package clinic.offer.promo.web;

import clinic.kit.web.ClinicException;
import clinic.offer.promo.PromoCodeRejected;
import clinic.offer.promo.QuoteService;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/offers/quote}: what a code would take off a prospective booking (public). */
@RestController
class QuoteController {
    private final QuoteService quotes;

    QuoteController(QuoteService quotes) {
        this.quotes = quotes;
    }

    /**
     * A refusal carries the same words and offer window/scope as the booking's problem document
     * ({@link PromoCodeRejected}), so the booking page can say "valid for appointments 1 to
     * 28 February" before the customer submits.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record QuoteResponse(boolean valid, String code, String offerId, String promoCode, Long pricePence,
                         Long discountPence, Long totalPence, String currency, String detail,
                         @JsonIgnore Map<String, Object> scope) {
        @JsonAnyGetter
        Map<String, Object> scopeFields() {
            return scope;
        }

        static QuoteResponse of(QuoteService.Quote q) {
            if (!q.valid()) {
                var refusal = new PromoCodeRejected(q.rejection(), q.offer());
                return new QuoteResponse(false, q.rejection().code(), null, null, null, null, null, null,
                        refusal.getMessage(), refusal.properties());
            }
            return new QuoteResponse(true, null, q.offer().id().toString(), q.offer().code(), q.pricePence(),
                    q.discountPence(), q.totalPence(), "GBP", null, Map.of());
        }
    }

    @GetMapping("/api/offers/quote")
    Mono<QuoteResponse> quote(@RequestParam String code, @RequestParam String treatmentId,
                              @RequestParam(required = false) String locationId, @RequestParam String startsAt,
                              @RequestParam(required = false) String email) {
        if (code.isBlank()) throw ClinicException.invalid("code", "is required");
        if (treatmentId.isBlank()) throw ClinicException.invalid("treatmentId", "is required");
        // Both are looked up in the database, which cannot hold a NUL: name the field rather than "request".
        noNul("treatmentId", treatmentId);
        if (email != null) noNul("email", email);
        return quotes.quote(code, treatmentId, locationId, instant("startsAt", startsAt), email).map(QuoteResponse::of);
    }

    private static void noNul(String field, String value) {
        if (value.indexOf('\u0000') >= 0) throw ClinicException.invalid(field, "must not contain NUL characters");
    }

    /** ISO-8601 with any offset ({@code Z}, {@code +01:00}). */
    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ClinicException.invalid(field, "must be an ISO-8601 date-time with an offset, e.g. 2027-02-10T10:00:00Z");
        }
    }
}
