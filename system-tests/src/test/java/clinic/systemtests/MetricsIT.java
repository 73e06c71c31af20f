package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's "done when": the figures of the dashboard and the alerts are on every service's
 * /actuator/prometheus and move when the platform is used. Drives through the gateway one booking,
 * one double booking (409), one refused promo quote, one callback request and a burst of failed
 * sign-ins that trips the login lockout (a 429), then reads each service's metrics directly on its
 * own port.
 *
 * <p>The public-write limit is not tripped here: {@link Platform} lifts it for the drills, so the
 * burst is the sign-in lockout, which stays on. Counters that a clean journey cannot move (dead
 * letters, relay failures, failed notifications, SLA breaches: those need a fault or hours of
 * waiting) are asserted present, at whatever value; the module tests make each of them move.
 */
class MetricsIT {
    static Platform p;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** One sample line of the Prometheus text format: name, optional {labels}, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        p = Platform.get();
        PORTS.put("gateway", 8080 + p.offset);
        PORTS.put("booking-service", 8081 + p.offset);
        PORTS.put("offer-service", 8082 + p.offset);
        PORTS.put("callback-service", 8083 + p.offset);
        PORTS.put("notification-service", 8084 + p.offset);
        PORTS.put("analytics-service", 8085 + p.offset);
    }

    @Test
    void everyServiceShowsTheIssueFiguresAndTheyMoveWhileThePlatformIsUsed() {
        Map<String, List<Sample>> before = scrapeAll();

        // One booking and the same slot again: 201, then the 409 of a double booking.
        LocalDate day = Journeys.weekdayAhead(21);
        JsonNode slot = Journeys.slots(p, "doncaster", "sports-massage-45", day).get(0);
        String email = Journeys.uniqueEmail("metrics");
        var booked = p.post("/api/bookings", Journeys.booking("doncaster", "sports-massage-45", slot, email, null));
        assertThat(booked.status()).as(String.valueOf(booked.body())).isEqualTo(201);
        var twice = p.post("/api/bookings", Journeys.booking("doncaster", "sports-massage-45", slot,
                Journeys.uniqueEmail("metrics-second"), null));
        assertThat(twice.status()).isEqualTo(409);

        // A quote with a code no offer has: refused as promo_code_unknown.
        var quote = p.get("/api/offers/quote?code=NOPE" + UUID.randomUUID().toString().substring(0, 6).toUpperCase()
                + "&treatmentId=sports-massage-45&locationId=doncaster&startsAt=" + slot.get("startsAt").asText());
        assertThat(quote.status()).isEqualTo(200);
        assertThat(quote.body().get("code").asText()).isEqualTo("promo_code_unknown");

        // A callback request.
        var callback = p.post("/api/callbacks", Journeys.callback("Metrics " + System.nanoTime(), null, "doncaster"));
        assertThat(callback.status()).as(String.valueOf(callback.body())).isEqualTo(202);

        // The read APIs of the two services the steps above do not call over HTTP.
        var summary = p.get("/api/analytics/summary?from=" + day + "&to=" + day, "Authorization",
                p.token("marketing@clinic.test"));
        assertThat(summary.status()).as(String.valueOf(summary.body())).isEqualTo(200);
        assertThat(p.get("/api/staff/notifications?limit=1", "Authorization", p.token("staff@clinic.test")).status())
                .isEqualTo(200);

        // Failed sign-ins of one (made-up) username until the lockout answers 429.
        String username = "metrics-" + UUID.randomUUID() + "@clinic.test";
        int status = 0;
        for (int i = 0; i < 20 && status != 429; i++) {
            status = p.post("/api/auth/login", Map.of("username", username, "password", "wrong-" + i)).status();
        }
        assertThat(status).as("the sign-in lockout answered 429").isEqualTo(429);

        // Events, mail and outbox relays run after the answers: give them time.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, List<Sample>> after = scrapeAll();
            for (String service : PORTS.keySet()) {
                // HTTP p50/p99 per route and the error rate come from these; the scrapes themselves
                // (uri /actuator/prometheus) do not count as use.
                assertThat(apiRequests(after, service)).as("%s: API requests counted", service)
                        .isGreaterThan(apiRequests(before, service));
                assertThat(after.get(service).stream().anyMatch(s -> s.name().equals("http_server_requests_seconds_bucket")
                        && s.labels().containsKey("uri") && s.labels().containsKey("le")))
                        .as("%s: latency histogram per route", service).isTrue();
            }

            assertMoved(before, after, "gateway", "clinic_gateway_rate_limited_total", "limit", "login_lockout");
            assertPresent(after, "gateway", "resilience4j_circuitbreaker_state", "state", "open");

            assertMoved(before, after, "booking-service", "clinic_bookings_conflicts_total", "operation", "create");
            assertPresent(after, "booking-service", "resilience4j_circuitbreaker_state", "name", "offer-service");

            assertMoved(before, after, "offer-service", "clinic_offers_promo_rejections_total",
                    "code", "promo_code_unknown");

            assertPresent(after, "callback-service", "clinic_callbacks_sla_breaches_total");
            assertPresent(after, "callback-service", "clinic_callbacks_sla_overdue");

            assertMoved(before, after, "notification-service", "clinic_notifications_sent_total", "channel", "email");
            assertPresent(after, "notification-service", "clinic_notifications_failed_total", "channel", "email");
            assertPresent(after, "notification-service", "clinic_notifications_retrying_total", "channel", "email");
            assertPresent(after, "notification-service", "clinic_notifications_retry_waiting", "channel", "email");

            // The outbox of each service that published something, and its backlog gauges.
            for (String producer : List.of("booking-service", "callback-service", "notification-service")) {
                assertMoved(before, after, producer, "clinic_outbox_published_total");
            }
            for (String service : List.of("booking-service", "offer-service", "callback-service", "notification-service")) {
                assertPresent(after, service, "clinic_outbox_backlog");
                assertPresent(after, service, "clinic_outbox_oldest_unsent_age_seconds");
                assertPresent(after, service, "clinic_outbox_relay_failures_total");
            }

            // Consumers: events processed, their lag, and the dead-letter counter at zero or more.
            // The booking had no promo code: offer-service declines it without a transaction.
            assertMoved(before, after, "offer-service", "clinic_inbox_ignored_total", "type", "booking.confirmed.v2");
            assertMoved(before, after, "notification-service", "clinic_inbox_processed_total", "type", "booking.confirmed.v2");
            assertMoved(before, after, "analytics-service", "clinic_inbox_processed_total", "type", "callback.requested.v2");
            for (String consumer : List.of("offer-service", "notification-service", "analytics-service")) {
                assertPresent(after, consumer, "kafka_consumer_fetch_manager_records_lag_max");
                assertPresent(after, consumer, "clinic_inbox_dead_lettered_total");
            }
        });
    }

    // ---------------------------------------------------------------- scraping

    record Sample(String name, Map<String, String> labels, double value) {
        boolean matches(String metric, String... labelPairs) {
            if (!name.equals(metric)) return false;
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) return false;
            }
            return true;
        }
    }

    private static Map<String, List<Sample>> scrapeAll() {
        Map<String, List<Sample>> all = new LinkedHashMap<>();
        PORTS.forEach((service, port) -> all.put(service, scrape(service, port)));
        return all;
    }

    private static List<Sample> scrape(String service, int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /actuator/prometheus of %s", service).isEqualTo(200);
            return r.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(MetricsIT::parse)
                    .filter(java.util.Objects::nonNull).toList();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read the metrics of " + service + ": " + e, e);
        }
    }

    private static Sample parse(String line) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) return null;
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) labels.put(l.group(1), l.group(2));
        }
        double value;
        try {
            value = Double.parseDouble(m.group(4));
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        return new Sample(m.group(1), labels, value);
    }

    private static double sum(Map<String, List<Sample>> scrape, String service, String metric, String... labels) {
        return scrape.get(service).stream().filter(s -> s.matches(metric, labels)).mapToDouble(Sample::value).sum();
    }

    private static double apiRequests(Map<String, List<Sample>> scrape, String service) {
        return scrape.get(service).stream()
                .filter(s -> s.name().equals("http_server_requests_seconds_count")
                        && !s.labels().getOrDefault("uri", "").startsWith("/actuator"))
                .mapToDouble(Sample::value).sum();
    }

    private static void assertPresent(Map<String, List<Sample>> scrape, String service, String metric, String... labels) {
        assertThat(scrape.get(service).stream().anyMatch(s -> s.matches(metric, labels)))
                .as("%s shows %s%s", service, metric, List.of(labels)).isTrue();
    }

    /** Present after, and above its value before (absent before counts as zero). */
    private static void assertMoved(Map<String, List<Sample>> before, Map<String, List<Sample>> after, String service,
                                    String metric, String... labels) {
        assertPresent(after, service, metric, labels);
        assertThat(sum(after, service, metric, labels)).as("%s: %s%s moved", service, metric, List.of(labels))
                .isGreaterThan(sum(before, service, metric, labels));
    }
}
