package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules, the Prometheus configs and the Grafana dashboard parse, and their queries use
 * only metric names from the list below (a misspelt metric is a panel or alert that never shows
 * anything); the list's own clinic_* names are checked against the main code, and promtool, when
 * installed, checks the files as Prometheus will read them.
 */
class ObservabilityFilesTest {

    private static final Path OBSERVABILITY = Repo.ROOT.resolve("observability");

    /**
     * Metrics the services expose (Micrometer, Spring Boot, resilience4j, Kafka clients, the kit, the
     * services' own meters) or Prometheus itself. The module tests assert that each clinic_* counter
     * moves and that the Kafka lag and breaker gauges are registered.
     */
    static final Set<String> EMITTED = Set.of(
            "up",
            "http_server_requests_seconds_bucket",
            "http_server_requests_seconds_count",
            "clinic_outbox_backlog",
            "clinic_outbox_oldest_unsent_age_seconds",
            "clinic_outbox_relay_failures_total",
            "clinic_outbox_published_total",
            "clinic_inbox_dead_lettered_total",
            "clinic_inbox_duplicates_skipped_total",
            "clinic_inbox_processed_total",
            "kafka_consumer_fetch_manager_records_lag_max",
            "resilience4j_circuitbreaker_state",
            "clinic_offers_promo_rejections_total",
            "clinic_bookings_conflicts_total",
            "clinic_notifications_sent_total",
            "clinic_notifications_failed_total",
            "clinic_notifications_retrying_total",
            "clinic_notifications_retry_waiting",
            "clinic_gateway_rate_limited_total",
            "clinic_callbacks_sla_breaches_total",
            "clinic_callbacks_sla_overdue",
            // Kafka (deploy/k8s/kafka: Kafka Exporter, the brokers' JMX exporter), CloudNativePG and its
            // Barman Cloud plugin (deploy/k8s/postgres), kube-state-metrics; scraped only in Kubernetes.
            "kafka_topic_partition_under_replicated_partition",
            "kafka_server_replicamanager_underminisrpartitioncount",
            "barman_cloud_cloudnative_pg_io_last_available_backup_timestamp",
            "cnpg_pg_stat_archiver_seconds_since_last_archival",
            "cnpg_backends_total",
            "cnpg_pg_settings_setting",
            "kube_pod_container_status_restarts_total",
            "kube_pod_container_status_last_terminated_reason");

    /** What the dashboard must show (issue 12). */
    static final Set<String> DASHBOARD_MUST_SHOW = Set.of(
            "http_server_requests_seconds_bucket", "clinic_outbox_backlog", "clinic_outbox_oldest_unsent_age_seconds",
            "clinic_outbox_relay_failures_total", "kafka_consumer_fetch_manager_records_lag_max",
            "clinic_inbox_dead_lettered_total", "clinic_inbox_duplicates_skipped_total",
            "resilience4j_circuitbreaker_state", "clinic_offers_promo_rejections_total",
            "clinic_bookings_conflicts_total", "clinic_notifications_sent_total", "clinic_notifications_failed_total",
            "clinic_notifications_retrying_total", "clinic_gateway_rate_limited_total",
            "clinic_callbacks_sla_breaches_total");

    /** Prometheus configs in the repository: the local run's reference and the one docker compose mounts. */
    static final List<String> PROMETHEUS_CONFIGS = List.of("prometheus/prometheus.yml", "prometheus/prometheus-compose.yml");

    static final Set<String> REQUIRED_ALERTS = Set.of(
            "ClinicOutboxBacklogStale", "ClinicDeadLetters", "ClinicConsumerLagGrowing",
            "ClinicCallbackSlaBreaches", "ClinicHttpErrorRate",
            // Issue 24: the platform under the services.
            "ClinicKafkaUnderReplicatedPartitions", "ClinicBackupTooOld", "ClinicPostgresConnectionsSaturated",
            "ClinicPodRestarting", "ClinicOomKilled");

    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
            "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
            "abs", "absent", "ceil", "floor", "round", "clamp_min", "clamp_max", "changes", "resets", "time", "vector",
            "scalar", "sort", "sort_desc", "label_replace", "label_join", "max_over_time", "min_over_time",
            "avg_over_time", "sum_over_time", "count_over_time", "last_over_time",
            "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
            "inf", "nan");

    @Test
    void alertRulesParseAndCoverTheRequiredConditions() {
        Map<String, Object> file = yaml(OBSERVABILITY.resolve("prometheus/alerts.yml"));
        List<Map<String, Object>> groups = maps(file.get("groups"));
        assertThat(groups).isNotEmpty();
        Set<String> alerts = new HashSet<>();
        for (Map<String, Object> group : groups) {
            assertThat(group.get("name")).isInstanceOf(String.class);
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                String alert = (String) rule.get("alert");
                assertThat(alert).as("every rule is an alert").isNotBlank();
                assertThat(alerts.add(alert)).as("alert %s defined once", alert).isTrue();
                assertThat(rule).as(alert).containsKeys("expr", "labels", "annotations");
                assertThat(map(rule.get("labels"))).as(alert).containsKey("severity");
                assertThat(map(rule.get("annotations"))).as(alert).containsKeys("summary", "description");
                if (rule.containsKey("for")) assertThat(String.valueOf(rule.get("for"))).matches("\\d+[smh]");
                assertQuery(alert, String.valueOf(rule.get("expr")));
            }
        }
        assertThat(alerts).containsAll(REQUIRED_ALERTS);
        assertThat(expressionOf(groups, "ClinicOutboxBacklogStale")).contains("clinic_outbox_oldest_unsent_age_seconds").contains("> 60");
        assertThat(expressionOf(groups, "ClinicHttpErrorRate")).contains("status=~\"5..\"").contains("> 0.01");
        assertThat(expressionOf(groups, "ClinicCallbackSlaBreaches")).contains("clinic_callbacks_sla_breaches_total");
        assertThat(expressionOf(groups, "ClinicDeadLetters")).contains("clinic_inbox_dead_lettered_total");
        assertThat(expressionOf(groups, "ClinicConsumerLagGrowing")).contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    /** Every alert links a runbook: a section of docs/operations.md that exists, named after the alert. */
    @Test
    void everyAlertHasARunbookUrlWhoseAnchorExistsInOperationsMd() {
        Set<String> anchors = anchors(Repo.read(Repo.ROOT.resolve("docs/operations.md")));
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> group : maps(yaml(OBSERVABILITY.resolve("prometheus/alerts.yml")).get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                String alert = (String) rule.get("alert");
                Object url = map(rule.get("annotations")).get("runbook_url");
                if (!(url instanceof String u) || !u.contains("docs/operations.md#")) {
                    problems.add(alert + ": no runbook_url into docs/operations.md");
                    continue;
                }
                String anchor = u.substring(u.indexOf('#') + 1);
                if (!anchors.contains(anchor)) problems.add(alert + ": anchor #" + anchor + " is no heading of docs/operations.md");
                if (!anchor.equals(alert.toLowerCase())) problems.add(alert + ": runbook anchor #" + anchor + " is not the alert's own section");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void headingAnchorsAreComputedAsGithubDoes() {
        assertThat(anchors("## Back up and restore\n### `ClinicOomKilled` (critical)\n")).contains("back-up-and-restore", "clinicoomkilled-critical");
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
        while (m.find()) {
            anchors.add(m.group(1).toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    @Test
    void promtoolAcceptsTheRulesAndEveryConfig() throws Exception {
        // Where Debian's prometheus package is installed (./clinic up --observe installs it);
        // elsewhere the parsing tests above stand in for it.
        assumeTrue(promtool() != null, "promtool is not installed (apt-get install -y prometheus)");
        promtoolPasses("check", "rules", OBSERVABILITY.resolve("prometheus/alerts.yml").toString());
        for (String config : PROMETHEUS_CONFIGS) {
            promtoolPasses("check", "config", OBSERVABILITY.resolve(config).toString());
        }
    }

    @Test
    void everyPrometheusConfigLoadsTheRulesAndLabelsEveryTargetWithItsService() {
        for (String config : PROMETHEUS_CONFIGS) {
            Map<String, Object> parsed = yaml(OBSERVABILITY.resolve(config));
            for (String rules : ObservabilityFilesTest.<String>list(parsed.get("rule_files"))) {
                assertThat(OBSERVABILITY.resolve("prometheus").resolve(rules)).as("%s: rule file %s", config, rules).isRegularFile();
            }
            for (Map<String, Object> job : maps(parsed.get("scrape_configs"))) {
                assertThat(job.get("metrics_path")).as(config).isEqualTo("/actuator/prometheus");
                for (Map<String, Object> group : maps(job.get("static_configs"))) {
                    assertThat(Repo.serviceModules()).as("%s: service label", config)
                            .contains(String.valueOf(map(group.get("labels")).get("service")));
                }
            }
        }
    }

    @Test
    void theLocalPrometheusScrapesEveryServiceAndLoadsTheRules() {
        Map<String, Object> config = yaml(OBSERVABILITY.resolve("prometheus/prometheus.yml"));
        assertThat(list(config.get("rule_files"))).containsExactly("alerts.yml");
        Set<String> targets = new TreeSet<>();
        Set<String> services = new TreeSet<>();
        for (Map<String, Object> job : maps(config.get("scrape_configs"))) {
            assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
            for (Map<String, Object> group : maps(job.get("static_configs"))) {
                targets.addAll(list(group.get("targets")));
                services.add(String.valueOf(map(group.get("labels")).get("service")));
            }
        }
        assertThat(targets).containsExactly("127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083",
                "127.0.0.1:8084", "127.0.0.1:8085");
        assertThat(services).containsExactlyInAnyOrderElementsOf(Repo.serviceModules());
    }

    @Test
    void theDashboardParsesAndShowsTheRequiredFigures() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(OBSERVABILITY.resolve("grafana/clinic.json").toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        Set<String> shown = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel %s", title).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of %s", title).isBetween(1, 24);
            if (panel.path("type").asText().equals("row")) continue;
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertQuery(title, expr);
                shown.addAll(metricNames(expr));
            }
        }
        assertThat(shown).containsAll(DASHBOARD_MUST_SHOW);
    }

    @Test
    void theMetricNamesListedAsEmittedAreRegisteredInTheCode() throws IOException {
        // clinic_* names come from the kit and the services: clinic.outbox.backlog -> clinic_outbox_backlog.
        String sources = mainJavaSources();
        for (String metric : EMITTED) {
            if (!metric.startsWith("clinic_")) continue;
            String micrometer = metric.replaceFirst("_total$", "").replace('_', '.');
            assertThat(sources).as("a meter named %s in the main code", micrometer).contains("\"" + micrometer + "\"");
        }
    }

    @Test
    void theMetricNameExtractorFindsMetricsButNotFunctionsLabelsOrDurations() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{service=~\"$service\", uri!=\"x_y\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("a_total unless a_total offset 10m or max by (service) (deriv(b[10m:1m])) > 1e3"))
                .containsExactly("a_total", "b");
    }

    private static void assertQuery(String what, String expr) {
        assertThat(expr).as("query of %s", what).isNotBlank();
        assertThat(balanced(expr)).as("brackets of %s balance: %s", what, expr).isTrue();
        Set<String> names = metricNames(expr);
        assertThat(names).as("metrics of %s", what).isNotEmpty();
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(EMITTED);
        assertThat(unknown).as("metric names in %s that no service exposes: %s", what, expr).isEmpty();
    }

    /** Metric names in a PromQL expression: identifiers left once strings, matchers, ranges and groupings are removed. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\w+", " ");
        Matcher m = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word.toLowerCase())) names.add(word);
        }
        return names;
    }

    private static boolean balanced(String expr) {
        int round = 0, curly = 0, square = 0;
        boolean inString = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' && (i == 0 || expr.charAt(i - 1) != '\\')) inString = !inString;
            if (inString) continue;
            switch (c) {
                case '(' -> round++;
                case ')' -> round--;
                case '{' -> curly++;
                case '}' -> curly--;
                case '[' -> square++;
                case ']' -> square--;
                default -> { }
            }
            if (round < 0 || curly < 0 || square < 0) return false;
        }
        return round == 0 && curly == 0 && square == 0 && !inString;
    }

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve("promtool");
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static void promtoolPasses(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    }

    private static String expressionOf(List<Map<String, Object>> groups, String alert) {
        return groups.stream().flatMap(g -> maps(g.get("rules")).stream())
                .filter(r -> alert.equals(r.get("alert"))).map(r -> String.valueOf(r.get("expr")))
                .findFirst().orElseThrow();
    }

    private static String mainJavaSources() throws IOException {
        StringBuilder all = new StringBuilder();
        List<Path> roots = new ArrayList<>();
        for (String kit : List.of("kit-web", "kit-data", "kit-messaging")) roots.add(Repo.ROOT.resolve(kit));
        Repo.serviceModules().forEach(m -> roots.add(Repo.ROOT.resolve(m)));
        for (Path root : roots) {
            Path main = root.resolve("src/main/java");
            if (!Files.isDirectory(main)) continue;
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> all.append(Repo.read(f)));
            }
        }
        return all.toString();
    }

    private static Map<String, Object> yaml(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object parsed = new Yaml(options).load(Repo.read(file));
        assertThat(parsed).as("%s is a YAML mapping", file).isInstanceOf(Map.class);
        return map(parsed);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return new LinkedHashMap<>((Map<String, Object>) value);
    }

    private static List<Map<String, Object>> maps(Object value) {
        return list(value);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<T>) value;
    }
}
