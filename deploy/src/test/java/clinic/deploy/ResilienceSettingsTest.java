package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * What keeps the platform serving through trouble: readiness that ignores dependencies, pods spread
 * over zones, Kafka replicas aware of racks, spans collected in the cluster, and staff mail that
 * cannot silently go to the development inboxes.
 */
class ResilienceSettingsTest {

    static final String READINESS = "management.endpoint.health.group.readiness.include";
    /** Health indicators of things outside the pod: in readiness they would empty every Service at once. */
    static final List<String> DEPENDENCY_INDICATORS = List.of("r2dbc", "db", "kafka", "mail", "redis", "mongo", "elasticsearch");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @Test
    void readinessGroupsHoldNoDependencyIndicator() throws IOException {
        List<String> groups = new ArrayList<>();
        Properties kit = new Properties();
        kit.load(new StringReader(Repo.read(Repo.ROOT.resolve("kit-web/src/main/resources/clinic-kit-defaults.properties"))));
        assertThat(kit.getProperty(READINESS)).as("the kit's readiness group").isNotBlank();
        groups.add("kit-web: " + kit.getProperty(READINESS));
        for (String module : Repo.serviceModules()) {
            try (Stream<Path> files = Files.list(Repo.ROOT.resolve(module).resolve("src/main/resources"))) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
                    for (Object doc : new Yaml().loadAll(Repo.read(f))) {
                        Object include = at(doc, "management", "endpoint", "health", "group", "readiness", "include");
                        if (include != null) groups.add(module + "/" + f.getFileName() + ": " + include);
                    }
                }
            }
        }
        for (String group : groups) {
            List<String> members = Arrays.stream(group.substring(group.indexOf(": ") + 2).replaceAll("[\\[\\]]", "").split(","))
                    .map(String::trim).toList();
            assertThat(members).as("readiness group %s", group).doesNotContainAnyElementsOf(DEPENDENCY_INDICATORS)
                    .contains("readinessState");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSpreadOverZonesAndKafkaKnowsItsRacks(String name) {
        Overlay overlay = Overlay.of(name);
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            List<TopologySpreadConstraint> spread = d.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertThat(spread).as("topology spread of %s", module).anySatisfy(c -> {
                assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(c.getLabelSelector().getMatchLabels());
            });
        }
        // A laptop's single node has no zone: only production places Kafka by zone.
        if (!overlay.isProduction()) return;
        GenericKubernetesResource kafka = overlay.generic("kafka.strimzi.io/v1beta2", "Kafka").get(0);
        assertThat(Manifests.at(kafka, "spec", "kafka", "rack", "topologyKey")).contains("topology.kubernetes.io/zone");
        GenericKubernetesResource pool = overlay.generic("kafka.strimzi.io/v1beta2", "KafkaNodePool").get(0);
        assertThat(String.valueOf(Manifests.at(pool, "spec", "template", "pod", "topologySpreadConstraints").orElseThrow()))
                .contains("topology.kubernetes.io/zone");
        GenericKubernetesResource cluster = overlay.generic("postgresql.cnpg.io/v1", "Cluster").get(0);
        assertThat(Manifests.at(cluster, "spec", "affinity", "topologyKey")).contains("topology.kubernetes.io/zone");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceSendsItsSpansToTheCollectorInTheCluster(String name) {
        Overlay overlay = Overlay.of(name);
        Deployment collector = overlay.find(Deployment.class, "otel-collector")
                .orElseThrow(() -> new AssertionError("no OpenTelemetry Collector Deployment in " + name));
        assertThat(Overlay.container(collector).getPorts()).anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(4318));
        for (String module : Repo.serviceModules()) {
            Map<String, String> env = overlay.environment(overlay.find(Deployment.class, module).orElseThrow());
            assertThat(env.get("OTLP_TRACING_ENDPOINT")).as("OTLP_TRACING_ENDPOINT of %s", module)
                    .isEqualTo("http://otel-collector:4318/v1/traces");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void staffInboxesAreTheClinicsOwnOutsideTheLocalProfile(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, String> env = overlay.environment(overlay.find(Deployment.class, "notification-service").orElseThrow());
        assertThat(env).containsKeys("STAFF_INBOX_DOMAIN", "CALLBACK_FALLBACK_INBOX");
        if (overlay.isProduction()) {
            assertThat(env.get("STAFF_INBOX_DOMAIN")).isNotBlank().doesNotEndWith("clinic.test");
            assertThat(env.get("CALLBACK_FALLBACK_INBOX")).contains("@").doesNotEndWith("clinic.test");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object doc, String... keys) {
        Object current = doc;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) return null;
            Object next = ((Map<String, Object>) map).get(key);
            if (next == null) {
                // Also the flattened form: management.endpoint... as one key.
                return null;
            }
            current = next;
        }
        return current;
    }
}
