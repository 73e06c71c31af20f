package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT 1.1 audit log through the gateway: staff work a callback (callback-service records it),
 * marketing launches and ends an offer (offer-service records it), and the admin's
 * {@code GET /api/admin/audit}, which the gateway gathers from every service, shows all of it newest
 * first under the people who did it.
 */
class AuditIT {
    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void staffAndMarketingWritesAreInTheAdminsAuditLogNewestFirst() {
        Instant since = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        String staff = p.token("staff@clinic.test");
        String marketing = p.token("marketing@clinic.test");
        String admin = p.token("admin@clinic.test");

        // Staff: a real booking for the caller, then the callback claimed and completed as BOOKED with it.
        LocalDate day = Journeys.weekdayAhead(23);
        JsonNode slot = Journeys.slots(p, "rotherham", "sports-massage-30", day).get(0);
        var booking = p.post("/api/bookings", Journeys.booking("rotherham", "sports-massage-30", slot,
                Journeys.uniqueEmail("audit"), null));
        assertThat(booking.status()).as(String.valueOf(booking.body())).isEqualTo(201);
        String reference = booking.body().get("reference").asText();
        var requested = p.post("/api/callbacks", Journeys.callback("Audit Caller", null, "rotherham"));
        assertThat(requested.status()).isEqualTo(202);
        String callbackId = requested.body().get("id").asText();
        assertThat(p.post("/api/staff/callbacks/" + callbackId + "/claim", Map.of(), "Authorization", staff).status())
                .isEqualTo(200);
        var completed = p.post("/api/staff/callbacks/" + callbackId + "/complete",
                Map.of("outcome", "BOOKED", "note", "Booked a 30 minute massage", "bookingReference", reference),
                "Authorization", staff);
        assertThat(completed.status()).as(String.valueOf(completed.body())).isEqualTo(200);
        assertThat(completed.body().get("bookingReference").asText()).isEqualTo(reference);

        // Marketing: an offer for later in the year, launched (scheduled) and then ended.
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("code", "AUD" + UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase());
        offer.put("title", "Audit test offer");
        offer.put("description", "Created and ended by AuditIT");
        offer.put("percentOff", 5);
        offer.put("treatmentCategory", "sports-massage");
        offer.put("startsAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        offer.put("endsAt", Instant.now().plus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        var created = p.post("/api/marketing/offers", offer, "Authorization", marketing);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String offerId = created.body().get("id").asText();
        var ended = p.post("/api/marketing/offers/" + offerId + "/end", Map.of(), "Authorization", marketing);
        assertThat(ended.status()).as(String.valueOf(ended.body())).isEqualTo(200);

        // Everything since the test began, newest first, from every service.
        var all = p.get("/api/admin/audit?limit=1000&from=" + encode(since.toString()), "Authorization", admin);
        assertThat(all.status()).as(String.valueOf(all.body())).isEqualTo(200);
        assertThat(all.header("X-Audit-Incomplete")).as("every service answered").isNull();
        List<JsonNode> entries = list(all.body());
        assertThat(entries).extracting(e -> Instant.parse(e.get("at").asText()))
                .isSortedAccordingTo(Comparator.reverseOrder());

        List<JsonNode> callback = about(entries, "callback/" + callbackId);
        assertThat(callback).extracting(e -> e.get("action").asText())
                .containsExactly("callback.completed", "callback.claimed");
        assertThat(callback).allSatisfy(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("staff@clinic.test");
            assertThat(e.get("service").asText()).isEqualTo("callback-service");
        });
        assertThat(callback.get(0).get("details").get("outcome").asText()).isEqualTo("BOOKED");
        assertThat(callback.get(0).get("details").get("bookingReference").asText()).isEqualTo(reference);
        // The note's length, never its words; never the caller's name.
        assertThat(callback.get(0).toString()).doesNotContain("massage", "Audit Caller");

        List<JsonNode> offerEntries = about(entries, "offer/" + offerId);
        assertThat(offerEntries).extracting(e -> e.get("action").asText())
                .containsExactly("offer.ended", "offer.scheduled");
        assertThat(offerEntries).allSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("marketing@clinic.test"));
        // The offer was ended after the callback was completed: it comes first.
        assertThat(entries.indexOf(offerEntries.get(0))).isLessThan(entries.indexOf(callback.get(0)));

        // actor= narrows to one person.
        var staffOnly = p.get("/api/admin/audit?limit=1000&actor=" + encode("staff@clinic.test") + "&from="
                + encode(since.toString()), "Authorization", admin);
        assertThat(staffOnly.status()).isEqualTo(200);
        List<JsonNode> staffEntries = list(staffOnly.body());
        assertThat(staffEntries).isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("staff@clinic.test"));
        assertThat(about(staffEntries, "callback/" + callbackId)).hasSize(2);
        assertThat(about(staffEntries, "offer/" + offerId)).isEmpty();

        // limit= cuts the merged list.
        var two = p.get("/api/admin/audit?limit=2&from=" + encode(since.toString()), "Authorization", admin);
        Instant secondNewest = Instant.parse(entries.get(1).get("at").asText());
        assertThat(list(two.body())).hasSize(2)
                .allSatisfy(e -> assertThat(Instant.parse(e.get("at").asText())).isAfterOrEqualTo(secondNewest));
    }

    @Test
    void onlyAdminsReadItAndBadFiltersAreNamed() {
        var asStaff = p.get("/api/admin/audit", "Authorization", p.token("staff@clinic.test"));
        assertThat(asStaff.status()).isEqualTo(403);
        assertThat(asStaff.body().get("code").asText()).isEqualTo("forbidden");
        var anonymous = p.get("/api/admin/audit");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().get("code").asText()).isEqualTo("unauthorized");

        var bad = p.get("/api/admin/audit?limit=5000", "Authorization", p.token("admin@clinic.test"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("code").asText()).isEqualTo("validation_failed");
        assertThat(bad.body().get("violations").get(0).get("field").asText()).isEqualTo("limit");
    }

    private static List<JsonNode> list(JsonNode array) {
        assertThat(array.isArray()).as(String.valueOf(array)).isTrue();
        return new ArrayList<>(StreamSupport.stream(array.spliterator(), false).toList());
    }

    private static List<JsonNode> about(List<JsonNode> entries, String target) {
        return entries.stream().filter(e -> target.equals(e.path("target").asText())).toList();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
