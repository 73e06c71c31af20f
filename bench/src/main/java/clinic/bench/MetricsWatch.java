package clinic.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches every service's {@code /actuator/prometheus} while the benchmark runs (every 5 s: each
 * scrape renders every histogram, and a 2 s sampling was a visible part of the idle CPU), so the report
 * shows the operational figures moving with the load (counters: before → after; gauges: the
 * highest value seen). Each figure is summed over its label sets per service.
 */
final class MetricsWatch {
    /** Counters: reported as the increase over the benchmark. */
    static final List<String> COUNTERS = List.of(
            "http_server_requests_seconds_count",
            "clinic_outbox_published_total",
            "clinic_outbox_relay_failures_total",
            "clinic_inbox_processed_total",
            "clinic_inbox_duplicates_skipped_total",
            "clinic_inbox_dead_lettered_total",
            "clinic_offers_promo_rejections_total",
            "clinic_bookings_conflicts_total",
            "clinic_notifications_sent_total",
            "clinic_notifications_failed_total",
            "clinic_notifications_retrying_total",
            "clinic_gateway_rate_limited_total");
    /** Gauges: reported as the highest value seen while sampling. */
    static final List<String> GAUGES = List.of(
            "clinic_outbox_backlog",
            "clinic_outbox_oldest_unsent_age_seconds",
            "kafka_consumer_fetch_manager_records_lag_max");

    private final Map<String, String> services;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Map<String, Double>> before = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> gaugeMax = new ConcurrentHashMap<>();
    private final Map<String, String> unreachable = new ConcurrentHashMap<>();
    private ScheduledExecutorService sampler;

    /** @param services service name → base URL */
    MetricsWatch(Map<String, String> services) {
        this.services = services;
    }

    void start() {
        services.forEach((name, url) -> before.put(name, scrape(name, url)));
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-watch");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> services.forEach((name, url) -> {
            Map<String, Double> now = scrape(name, url);
            for (String g : GAUGES) {
                Double v = now.get(g);
                if (v != null) gaugeMax.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).merge(g, v, Math::max);
            }
        }), 1, 5, TimeUnit.SECONDS);
    }

    /**
     * Whether the platform has caught up: no outbox rows waiting, no consumer behind and no mail
     * still going out, in any service (a service that cannot be scraped does not hold the answer
     * back). Works before {@link #start()}: the warm-up settles with it too.
     */
    boolean drained() {
        boolean drained = true;
        for (var e : services.entrySet()) {
            Map<String, Double> now = scrape(e.getKey(), e.getValue());
            if (now.getOrDefault("clinic_outbox_backlog", 0.0) > 0) drained = false;
            if (now.getOrDefault("kafka_consumer_fetch_manager_records_lag_max", 0.0) > 0) drained = false;
            // Mail is sent from notification-service's own table after its consumer has caught up: a
            // burst's mails were still going out during the next scenario (and the idle measurement,
            // 6 December: notification-service at 790 ms of CPU per second "idle"). Caught up means
            // its sent and failed counts stood still since the last look (about a second ago).
            Double sent = now.get("clinic_notifications_sent_total");
            if (sent != null) {
                double done = sent + now.getOrDefault("clinic_notifications_failed_total", 0.0)
                        + now.getOrDefault("clinic_notifications_retrying_total", 0.0);
                Double last = lastMailDone.put(e.getKey(), done);
                if (last == null || done != last) drained = false;
            }
        }
        return drained;
    }

    /** Per service, sent + failed + retried notifications at the last {@link #drained()} look. */
    private final Map<String, Double> lastMailDone = new ConcurrentHashMap<>();

    /** A Markdown table: per service, each figure that exists there, with how it moved. */
    String stopAndReport() {
        sampler.shutdownNow();
        StringBuilder sb = new StringBuilder();
        sb.append("| service | figure | before | after | moved by / max seen |\n|---|---|---:|---:|---:|\n");
        services.forEach((name, url) -> {
            Map<String, Double> after = scrape(name, url);
            Map<String, Double> b = before.getOrDefault(name, Map.of());
            for (String c : COUNTERS) {
                if (!after.containsKey(c)) continue;
                double from = b.getOrDefault(c, 0.0);
                double to = after.get(c);
                sb.append(String.format("| %s | %s | %.0f | %.0f | +%.0f |%n", name, c, from, to, to - from));
            }
            for (String g : GAUGES) {
                Double max = gaugeMax.getOrDefault(name, Map.of()).get(g);
                if (max != null) sb.append(String.format("| %s | %s (gauge) | | %.1f | max %.1f |%n", name, g,
                        after.getOrDefault(g, 0.0), max));
            }
        });
        if (!unreachable.isEmpty()) {
            sb.append("\nNot scraped: ");
            unreachable.forEach((name, why) -> sb.append(name).append(" (").append(why).append(") "));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** figure name → sum over its label sets (NaN samples, e.g. lag before any fetch, are skipped). */
    private Map<String, Double> scrape(String name, String url) {
        Map<String, Double> sums = new LinkedHashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                unreachable.put(name, "HTTP " + r.statusCode());
                return sums;
            }
            return parse(r.body());
        } catch (Exception e) {
            unreachable.put(name, e.getClass().getSimpleName());
        }
        return sums;
    }

    /** Prometheus text format → watched figure → value (counters summed, gauges their largest). */
    static Map<String, Double> parse(String body) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.charAt(0) == '#') continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            String metric = line.substring(0, brace > 0 ? brace : line.indexOf(' '));
            boolean gauge = GAUGES.contains(metric);
            if (!gauge && !COUNTERS.contains(metric)) continue;
            double v = Double.parseDouble(line.substring(space + 1));
            if (Double.isNaN(v)) continue;
            // Gauges: the largest label set (e.g. the most lagging partition); counters: the sum.
            sums.merge(metric, v, gauge ? Math::max : Double::sum);
        }
        return sums;
    }
}
