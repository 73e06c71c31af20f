package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract 1.1 "Privacy", erasure on request, through the gateway: a customer with a booking (its
 * reminder still to come), a callback request, a confirmed newsletter subscription and the mails they
 * caused. After {@code POST /api/admin/privacy/erasure} every service reports DONE; the export is empty;
 * the staff APIs (day list, customer look-up, callback board, notification log) no longer show their
 * name, email or phone; the manage links are dead; no mail goes to them even when the reminder falls
 * due; the analytics summary is the same before and after, and after a rebuild from the topics; the
 * audit log names the erasure without the address; no log line and no record on any topic holds their
 * data.
 */
class ErasureIT {
    private static final Pattern CONFIRM = Pattern.compile("/newsletter-confirm\\.html\\?token=([A-Za-z0-9_%\\-]+)");
    private static final Pattern MANAGE = Pattern.compile("manage\\.html\\?ref=([A-Z0-9-]+)(?:&|\\\\u0026|&amp;)token=([A-Za-z0-9_-]{22})");

    static Platform p;

    @BeforeAll
    static void start() {
        p = Platform.get();
    }

    @Test
    void anErasedCustomerIsGoneFromEveryApiMailLogAndTopicAndTheFiguresStay() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String email = "erasure-" + run + "@example.com";
        String name = "Erin Rasmussen-" + run;
        String e164 = Journeys.uniqueMobile();
        String national = "0" + e164.substring(3, 7) + " " + e164.substring(7);
        String admin = p.token("admin@clinic.test");
        String staff = p.token("staff@clinic.test");
        String marketing = p.token("marketing@clinic.test");

        // a booking nine days ahead: its reminder (a day before) is still to come
        LocalDate day = Journeys.weekdayAhead(9);
        JsonNode slot = Journeys.slots(p, "sheffield", "sports-massage-30", day).get(0);
        Map<String, Object> booking = new HashMap<>(Journeys.booking("sheffield", "sports-massage-30", slot, email, null));
        booking.put("customer", Map.of("name", name, "email", email, "phone", national));
        booking.put("notes", "Erasure test: left knee");
        var created = p.post("/api/bookings", booking);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String ref = created.body().get("reference").asText();
        String customerToken = created.body().get("manageToken").asText();

        // a callback request
        Map<String, Object> callback = new HashMap<>(Journeys.callback(name, email, "doncaster"));
        callback.put("phone", national);
        var requested = p.post("/api/callbacks", callback);
        assertThat(requested.status()).as(String.valueOf(requested.body())).isEqualTo(202);
        String callbackId = requested.body().get("id").asText();

        // a confirmed newsletter subscription
        assertThat(p.post("/api/newsletter/subscriptions", Map.of("email", email, "consent", true)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> CONFIRM.matcher(p.mail(email).toString()).find());
        Matcher confirm = CONFIRM.matcher(p.mail(email).toString());
        assertThat(confirm.find()).isTrue();
        var confirmed = p.post("/api/newsletter/confirm",
                Map.of("token", URLDecoder.decode(confirm.group(1), StandardCharsets.UTF_8)));
        assertThat(confirmed.status()).as(String.valueOf(confirmed.body())).isEqualTo(200);

        // the mails: booking confirmation (with the manage link minted for it), callback receipt, newsletter
        await().atMost(Duration.ofSeconds(60)).until(() -> MANAGE.matcher(p.mail(email).toString()).find());
        Matcher manage = MANAGE.matcher(p.mail(email).toString());
        assertThat(manage.find()).isTrue();
        String mailToken = manage.group(2);
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", mailToken).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> reminderStatus(ref).equals("SCHEDULED"));
        // every message to them has gone (nothing still queued that would change the figures afterwards)
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode log = p.get("/api/staff/notifications?recipient=" + enc(email) + "&limit=50", "Authorization", staff).body();
            if (log.size() < 3) return false;
            for (JsonNode n : log) if (List.of("PENDING", "RETRYING").contains(n.get("status").asText())) return false;
            return true;
        });

        // the figures before: this period, read until two reads a few seconds apart agree
        String period = "from=" + LocalDate.now(Journeys.LONDON).minusDays(1) + "&to=" + day.plusDays(1);
        JsonNode before = stableSummary(marketing, period);
        assertThat(before.at("/bookings/count").asLong()).isGreaterThanOrEqualTo(1);
        int mailsBefore = p.mail(email).size();
        Instant erasedFrom = Instant.now();

        // --- the erasure
        var refused = p.post("/api/admin/privacy/erasure", Map.of("email", email), "Authorization", staff);
        assertThat(refused.status()).isEqualTo(403);
        var accepted = p.post("/api/admin/privacy/erasure", Map.of("email", email.toUpperCase(),
                "reason", "Asked by phone, ticket 4711"), "Authorization", admin);
        assertThat(accepted.status()).as(String.valueOf(accepted.body())).isEqualTo(202);
        assertThat(accepted.body().get("status").asText()).isEqualTo("PENDING");
        String id = accepted.body().get("id").asText();

        await().atMost(Duration.ofSeconds(90)).until(() ->
                "DONE".equals(p.get("/api/admin/privacy/erasure/" + id, "Authorization", admin).body().path("status").asText()));
        JsonNode status = p.get("/api/admin/privacy/erasure/" + id, "Authorization", admin).body();
        assertThat(status.get("services").toString()).isEqualTo("{\"booking-service\":\"DONE\",\"callback-service\":\"DONE\","
                + "\"notification-service\":\"DONE\",\"offer-service\":\"DONE\"}");

        // the export finds nothing
        var export = p.get("/api/admin/privacy/export?email=" + enc(email), "Authorization", admin);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.body().get("bookings")).isEmpty();
        assertThat(export.body().get("callbacks")).isEmpty();
        assertThat(export.body().get("consents")).isEmpty();
        assertThat(export.body().get("notifications")).isEmpty();
        // (an empty object when there is no subscription, as for someone who never subscribed)
        assertThat(export.body().get("newsletter")).as("newsletter").isEmpty();

        // staff APIs: the booking and the callback are still there, without the person
        List<String> person = List.of(email, name, e164, national, national.replace(" ", ""));
        String dayList = p.get("/api/staff/bookings?locationId=sheffield&date=" + day, "Authorization", staff).raw().body();
        assertThat(dayList).contains(ref);
        assertNoneOf(dayList, person, "the day list");
        assertNoneOf(p.get("/api/staff/customers?query=" + enc(email), "Authorization", staff).raw().body(), person,
                "the customer look-up by address");
        assertNoneOf(p.get("/api/staff/customers?query=" + enc(e164), "Authorization", staff).raw().body(), person,
                "the customer look-up by phone");
        String board = p.get("/api/staff/callbacks?limit=1000", "Authorization", staff).raw().body();
        assertThat(board).contains(callbackId);
        assertNoneOf(board, person, "the callback list");
        assertNoneOf(p.get("/api/staff/callbacks/" + callbackId, "Authorization", staff).raw().body(), person, "the callback");
        assertThat(p.get("/api/staff/notifications?recipient=" + enc(email) + "&limit=50", "Authorization", staff).body()).isEmpty();
        assertThat(p.get("/api/staff/notifications?recipient=" + enc(e164) + "&limit=50", "Authorization", staff).body()).isEmpty();
        assertNoneOf(p.get("/api/staff/notifications?limit=500", "Authorization", staff).raw().body(), person,
                "the notification log");

        // the manage links are dead
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", customerToken).status()).isEqualTo(404);
        assertThat(p.get("/api/bookings/" + ref, "X-Manage-Token", mailToken).status()).isEqualTo(404);

        // the reminder was cancelled; even at its time nothing goes (its due time moved into the past: the
        // notification-service's clock is real, and the next poll is within 15 s)
        assertThat(reminderStatus(ref)).isEqualTo("CANCELLED");
        try (Connection db = p.db("notification");
             PreparedStatement st = db.prepareStatement("update booking_reminder set due_at = now() - interval '1 minute' "
                     + "where reference = ?")) {
            st.setString(1, ref);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30))
                .until(() -> p.mail(email).size() == mailsBefore);

        // analytics: the same figures, live and after a rebuild from the topics
        assertThat(stableSummary(marketing, period)).isEqualTo(before);
        // Straight to analytics-service, as RebuildTest's drill does: a rebuild answers when it is done, which
        // on a platform that has run every other test class can take longer than the gateway's 5 s limit.
        HttpResponse<String> rebuild = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + (8085 + p.offset) + "/api/admin/analytics/rebuild"))
                .header("Authorization", admin).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rebuild.statusCode()).as(rebuild.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> before.equals(summary(marketing, period)));

        // the audit log: the request (id and reason length) and each service's erasure, never the address
        var audit = p.get("/api/admin/audit?limit=1000&from=" + enc(erasedFrom.toString()), "Authorization", admin);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body().findValuesAsText("action")).contains("privacy.erasure_requested", "privacy.erased");
        JsonNode requestedEntry = null;
        for (JsonNode entry : audit.body()) {
            if ("privacy.erasure_requested".equals(entry.get("action").asText())) requestedEntry = entry;
        }
        assertThat(requestedEntry).isNotNull();
        assertThat(requestedEntry.get("target").asText()).isEqualTo("erasure/" + id);
        assertThat(requestedEntry.get("actor").asText()).isEqualTo("admin@clinic.test");
        assertThat(requestedEntry.at("/details/reasonLength").asInt()).isEqualTo(27);
        List<String> erasedBy = new java.util.ArrayList<>();
        for (JsonNode entry : audit.body()) {
            if ("privacy.erased".equals(entry.get("action").asText()) && ("erasure/" + id).equals(entry.get("target").asText())) {
                erasedBy.add(entry.get("service").asText());
            }
        }
        assertThat(erasedBy).containsExactlyInAnyOrder("booking-service", "callback-service", "notification-service",
                "offer-service");
        assertNoneOf(audit.raw().body(), List.of(email, "ticket 4711"), "the audit log");

        // bad requests
        var noEmail = p.post("/api/admin/privacy/erasure", Map.of("reason", "x"), "Authorization", admin);
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.body().at("/violations/0/field").asText()).isEqualTo("email");
        var badEmail = p.post("/api/admin/privacy/erasure", Map.of("email", "not-an-address"), "Authorization", admin);
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.body().get("code").asText()).isEqualTo("validation_failed");
        var longReason = p.post("/api/admin/privacy/erasure", Map.of("email", email, "reason", "x".repeat(1001)),
                "Authorization", admin);
        assertThat(longReason.status()).isEqualTo(400);
        assertThat(longReason.body().at("/violations/0/field").asText()).isEqualTo("reason");
        assertThat(p.get("/api/admin/privacy/erasure/" + UUID.randomUUID(), "Authorization", admin).status()).isEqualTo(404);
        assertThat(p.get("/api/admin/privacy/erasure/" + id, "Authorization", staff).status()).isEqualTo(403);
        assertThat(p.get("/api/admin/privacy/erasure/" + id).status()).isEqualTo(401);

        // nothing of them in any service's log, nor in any record on any topic
        assertThat(PrivacyIT.logsMentioning(p, List.of(email, e164, national, national.replace(" ", ""))))
                .as("log lines holding this customer's email or phone").isEmpty();
        assertThat(PrivacyIT.topicsMentioning(p, List.of(email, name, e164, national.replace(" ", ""))))
                .as("records on Kafka holding this customer's data").isEmpty();
    }

    private static void assertNoneOf(String body, List<String> needles, String what) {
        for (String n : needles) assertThat(body.toLowerCase()).as("%s holds %s", what, n).doesNotContain(n.toLowerCase());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode summary(String token, String period) {
        var r = p.get("/api/analytics/summary?" + period, "Authorization", token);
        return r.status() == 200 ? r.body() : null;
    }

    /** The summary once two reads two seconds apart agree (analytics is eventually consistent). */
    private static JsonNode stableSummary(String token, String period) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            JsonNode now = summary(token, period);
            return now != null && now.equals(last.getAndSet(now));
        });
        return last.get();
    }

    private static String reminderStatus(String reference) throws Exception {
        try (Connection db = p.db("notification");
             PreparedStatement st = db.prepareStatement("select status from booking_reminder where reference = ?")) {
            st.setString(1, reference);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
