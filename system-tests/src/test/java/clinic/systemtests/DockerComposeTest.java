package clinic.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so docker-compose.yml cannot be started in CI; this keeps it honest
 * instead: it names every service module, each is built from the repo with a healthcheck, and it
 * sets only environment variables that the service actually reads (its own settings or the
 * kit modules' defaults every service loads).
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of(System.getProperty("clinic.root", "..")).toAbsolutePath().normalize();
    /** Read by Spring Boot or the JVM themselves rather than through a placeholder. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("SPRING_PROFILES_ACTIVE", "JAVA_TOOL_OPTIONS");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    /** The optional services of {@code docker compose --profile observability up}. */
    private static final Set<String> OBSERVABILITY = Set.of("prometheus", "grafana", "jaeger");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    static List<String> serviceModules() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("src/main/resources")))
                    .filter(d -> d.getFileName().toString().endsWith("-service")
                            || d.getFileName().toString().equals("gateway"))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyServiceModuleIsAComposeServiceBuiltFromTheRepoWithAHealthcheck() throws IOException {
        var services = services();
        List<String> modules = serviceModules();
        assertThat(modules).contains("booking-service", "offer-service", "callback-service",
                "notification-service", "analytics-service", "gateway");
        for (String module : modules) {
            assertThat(services).as("compose service for module " + module).containsKey(module);
            Map<String, Object> svc = services.get(module);
            @SuppressWarnings("unchecked")
            Map<String, Object> build = (Map<String, Object>) svc.get("build");
            assertThat(build).as(module + " build").isNotNull();
            assertThat(((Map<?, ?>) build.get("args")).get("SERVICE")).isEqualTo(module);
            assertThat(svc).as(module + " healthcheck").containsKey("healthcheck");
            assertThat(svc).as(module + " depends_on").containsKey("depends_on");
            ((Map<?, ?>) svc.get("depends_on")).values().forEach(cond ->
                    assertThat(((Map<?, ?>) cond).get("condition")).isEqualTo("service_healthy"));
        }
        assertThat(services).containsKeys("postgres", "kafka", "mail");
    }

    @Test
    void composeSetsOnlyVariablesTheServicesRead() throws IOException {
        var services = services();
        for (String module : serviceModules()) {
            Set<String> read = variablesReadBy(module);
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) services.get(module).get("environment");
            assertThat(env).as(module + " environment").isNotNull();
            for (String var : env.keySet()) {
                assertThat(read).as(module + " reads " + var + " (set in docker-compose.yml)").contains(var);
            }
        }
    }

    @Test
    void observabilityIsOptionalAndAPlainUpStaysLean() throws IOException {
        var services = services();
        assertThat(services).containsKeys(OBSERVABILITY.toArray(String[]::new));
        services.forEach((name, svc) -> {
            if (OBSERVABILITY.contains(name)) {
                assertThat(svc.get("profiles")).as(name + " profiles").isEqualTo(List.of("observability"));
            } else {
                assertThat(svc).as(name + " starts with a plain 'docker compose up'").doesNotContainKey("profiles");
            }
        });
        // Jaeger takes OTLP over HTTP on 4318 (the services' tracing endpoint).
        assertThat(String.valueOf(services.get("jaeger").get("ports"))).contains("4318:4318");
    }

    @Test
    void prometheusInComposeLoadsTheRulesAndScrapesRealServicesOnTheirPorts() throws IOException {
        var services = services();
        Map<String, Object> prometheus = services.get("prometheus");
        assertThat(String.valueOf(prometheus.get("volumes"))).contains("./observability/prometheus:/etc/prometheus");
        String configArg = ((List<?>) prometheus.get("command")).stream().map(String::valueOf)
                .filter(a -> a.startsWith("--config.file=/etc/prometheus/")).findFirst().orElseThrow();
        Path config = ROOT.resolve("observability/prometheus")
                .resolve(configArg.substring("--config.file=/etc/prometheus/".length()));
        assertThat(config).isRegularFile();

        Map<String, Object> parsed = new Yaml().load(Files.readString(config));
        for (Object rules : (List<?>) parsed.get("rule_files")) {
            assertThat(config.resolveSibling(String.valueOf(rules))).as("rule file " + rules).isRegularFile();
        }
        Set<String> scraped = new HashSet<>();
        for (Object job : (List<?>) parsed.get("scrape_configs")) {
            for (Object group : (List<?>) ((Map<?, ?>) job).get("static_configs")) {
                String service = String.valueOf(((Map<?, ?>) ((Map<?, ?>) group).get("labels")).get("service"));
                for (Object target : (List<?>) ((Map<?, ?>) group).get("targets")) {
                    String host = String.valueOf(target).split(":")[0];
                    String port = String.valueOf(target).split(":")[1];
                    assertThat(host).as("a compose service named by target " + target).isIn(services.keySet());
                    assertThat(service).as("service label of " + target).isEqualTo(host);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> env = (Map<String, Object>) services.get(host).get("environment");
                    assertThat(String.valueOf(env.get("PORT"))).as("port of " + host).isEqualTo(port);
                    scraped.add(host);
                }
            }
        }
        // The gateway exposes metrics only when its environment says so (it is the public door).
        List<String> expected = serviceModules().stream().filter(m -> !m.equals("gateway")).toList();
        assertThat(scraped).containsAll(expected);
    }

    @Test
    void grafanaIsProvisionedWithTheDashboardFromTheRepo() throws IOException {
        Map<String, Object> grafana = services().get("grafana");
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) grafana.get("environment");
        String root = String.valueOf(env.get("CLINIC_ROOT"));
        assertThat(String.valueOf(grafana.get("volumes"))).contains("./observability/grafana:" + root + "/observability/grafana");
        assertThat(String.valueOf(env.get("GF_PATHS_PROVISIONING"))).isEqualTo(root + "/observability/grafana/provisioning");
        assertThat(String.valueOf(env.get("PROMETHEUS_URL"))).isEqualTo("http://prometheus:9090");
        // The provisioning files read exactly these two variables.
        String provisioning = Files.readString(ROOT.resolve("observability/grafana/provisioning/datasources/prometheus.yml"))
                + Files.readString(ROOT.resolve("observability/grafana/provisioning/dashboards/clinic.yml"));
        assertThat(provisioning).contains("${PROMETHEUS_URL}", "${CLINIC_ROOT}/observability/grafana");
        assertThat(ROOT.resolve("observability/grafana/clinic.json")).isRegularFile();
    }

    private static Set<String> variablesReadBy(String module) throws IOException {
        Set<String> vars = new HashSet<>(PLATFORM_VARIABLES);
        vars.addAll(placeholders(ROOT.resolve(module).resolve("src/main/resources")));
        // A service also reads the shared defaults of every kit module it runs with: the one its pom
        // names and those that one depends on (kit-messaging on kit-data, kit-data on kit-web).
        String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        List<String> kits = pom.contains("<artifactId>kit-messaging</artifactId>") ? List.of("kit-web", "kit-data", "kit-messaging")
                : pom.contains("<artifactId>kit-data</artifactId>") ? List.of("kit-web", "kit-data")
                : pom.contains("<artifactId>kit-web</artifactId>") ? List.of("kit-web") : List.of();
        for (String kit : kits) vars.addAll(placeholders(ROOT.resolve(kit).resolve("src/main/resources")));
        return vars;
    }

    private static Set<String> placeholders(Path resources) throws IOException {
        Set<String> vars = new HashSet<>();
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path f : files.filter(p -> p.getFileName().toString()
                    .matches("(application|clinic-kit-defaults).*\\.(yml|yaml|properties)")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(f));
                while (m.find()) vars.add(m.group(1));
            }
        }
        return vars;
    }
}
