package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka (Strimzi) and PostgreSQL (CloudNativePG) resources, which fabric8 does not model: the expected
 * kinds at the expected API versions, their required fields, and that they match what the services
 * are told (bootstrap address, database host, names and credentials).
 */
class OperatorResourcesTest {

    private static final String STRIMZI = "kafka.strimzi.io/v1beta2";
    private static final String CNPG = "postgresql.cnpg.io/v1";

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kafkaIsOneKraftClusterWithANodePoolTheServicesCanReach(String name) {
        Overlay overlay = Overlay.of(name);
        GenericKubernetesResource kafka = single(overlay.generic(STRIMZI, "Kafka"), "Kafka");
        String cluster = kafka.getMetadata().getName();
        // Strimzi 0.48 runs KRaft with node pools only and ignores the annotations that once chose them.
        assertThat(kafka.getMetadata().getAnnotations() == null ? Map.of() : kafka.getMetadata().getAnnotations())
                .doesNotContainKeys("strimzi.io/kraft", "strimzi.io/node-pools");
        assertThat(Manifests.at(kafka, "spec", "entityOperator", "topicOperator")).as("topic operator").isPresent();
        List<Map<String, Object>> listeners = list(Manifests.at(kafka, "spec", "kafka", "listeners").orElseThrow());
        assertThat(listeners).isNotEmpty().allSatisfy(l -> assertThat(l).containsKeys("name", "port", "type", "tls"));

        GenericKubernetesResource pool = single(overlay.generic(STRIMZI, "KafkaNodePool"), "KafkaNodePool");
        assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
        assertThat(list(Manifests.at(pool, "spec", "roles").orElseThrow())).contains("controller", "broker");
        assertThat(Manifests.at(pool, "spec", "storage", "type")).isPresent();
        int nodes = number(Manifests.at(pool, "spec", "replicas").orElseThrow());
        assertThat(nodes).isEqualTo(overlay.isProduction() ? 3 : 1);

        Map<String, Object> config = map(Manifests.at(kafka, "spec", "kafka", "config").orElseThrow());
        int minIsr = number(config.get("min.insync.replicas"));
        assertThat(minIsr).isEqualTo(overlay.isProduction() ? 2 : 1);
        assertThat(number(config.get("default.replication.factor"))).isEqualTo(nodes);
        assertThat(number(config.get("offsets.topic.replication.factor"))).isLessThanOrEqualTo(nodes);

        // Every service that reads KAFKA_BOOTSTRAP is told the cluster's bootstrap Service and a listener port.
        for (String module : Repo.serviceModules()) {
            String bootstrap = overlay.environment(overlay.find(Deployment.class, module).orElseThrow()).get("KAFKA_BOOTSTRAP");
            if (bootstrap == null) continue;
            assertThat(bootstrap).as("KAFKA_BOOTSTRAP of %s", module).startsWith(cluster + "-kafka-bootstrap:");
            int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            assertThat(listeners).anySatisfy(l -> {
                assertThat(number(l.get("port"))).isEqualTo(port);
                assertThat(l.get("tls")).as("TLS on the listener of %s", module).isEqualTo(true);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDocumentedTopicAndItsDeadLetterTopicIsDeclared(String name) {
        Overlay overlay = Overlay.of(name);
        String cluster = single(overlay.generic(STRIMZI, "Kafka"), "Kafka").getMetadata().getName();
        int nodes = number(Manifests.at(single(overlay.generic(STRIMZI, "KafkaNodePool"), "KafkaNodePool"), "spec", "replicas").orElseThrow());
        Set<String> documented = EventTopics.names();

        Map<String, GenericKubernetesResource> topics = overlay.generic(STRIMZI, "KafkaTopic").stream()
                .collect(Collectors.toMap(t -> (String) Manifests.at(t, "spec", "topicName").orElseThrow(), t -> t));
        Set<String> expected = new TreeSet<>(documented);
        documented.forEach(t -> expected.add(t + ".dlq"));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        topics.forEach((topic, t) -> {
            assertThat(t.getMetadata().getLabels()).as(topic).containsEntry("strimzi.io/cluster", cluster);
            Map<String, Object> config = map(Manifests.at(t, "spec", "config").orElseThrow());
            int replicas = number(Manifests.at(t, "spec", "replicas").orElseThrow());
            assertThat(replicas).as("replicas of %s", topic).isEqualTo(nodes);
            assertThat(number(config.get("min.insync.replicas"))).as("min.insync.replicas of %s", topic)
                    .isEqualTo(overlay.isProduction() ? 2 : 1);
            long retention = Long.parseLong(String.valueOf(config.get("retention.ms")));
            if (topic.endsWith(".dlq")) {
                assertThat(retention).as("dead letters are kept a while: %s", topic).isGreaterThanOrEqualTo(7L * 24 * 3600 * 1000);
            } else {
                // docs/events.md: analytics rebuilds from the beginning, so events are kept forever.
                assertThat(retention).as("retention.ms of %s", topic).isEqualTo(-1);
                assertThat(number(Manifests.at(t, "spec", "partitions").orElseThrow())).as("partitions of %s", topic).isEqualTo(3);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void postgresIsOneClusterWithADatabasePerServiceAndTheServicesPointAtIt(String name) {
        Overlay overlay = Overlay.of(name);
        GenericKubernetesResource cluster = single(overlay.generic(CNPG, "Cluster"), "Cluster");
        String clusterName = cluster.getMetadata().getName();
        assertThat(number(Manifests.at(cluster, "spec", "instances").orElseThrow())).isEqualTo(overlay.isProduction() ? 3 : 1);
        assertThat(Manifests.at(cluster, "spec", "storage", "size")).isPresent();

        Map<String, GenericKubernetesResource> databases = overlay.generic(CNPG, "Database").stream()
                .collect(Collectors.toMap(db -> (String) Manifests.at(db, "spec", "name").orElseThrow(), db -> db));
        long connections = 0;
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            Map<String, String> env = overlay.environment(d);
            if (!env.containsKey("DB_NAME")) continue;
            String db = env.get("DB_NAME");
            GenericKubernetesResource database = databases.get(db);
            assertThat(database).as("a Database resource for %s's database %s", module, db).isNotNull();
            assertThat(Manifests.at(database, "spec", "cluster", "name")).contains(clusterName);
            // Each database is owned by the service's own role (DataRolesTest checks the roles themselves).
            assertThat(Manifests.at(database, "spec", "owner")).contains(db);
            assertThat(env.get("DB_HOST")).as("DB_HOST of %s: the primary", module).isEqualTo(clusterName + "-rw");
            assertThat(env.get("DB_PORT")).isEqualTo("5432");
            // The service's own role's Secret, the one the Cluster's managed role takes its password from.
            for (String var : List.of("DB_USER", "DB_PASSWORD")) {
                EnvVar entry = overlay.envEntry(d, var).orElseThrow();
                assertThat(entry.getValueFrom().getSecretKeyRef().getName()).as("%s of %s", var, module).isEqualTo(clusterName + "-" + db);
            }
            int maxPods = overlay.find(HorizontalPodAutoscaler.class, module).orElseThrow().getSpec().getMaxReplicas();
            connections += (long) maxPods * (Integer.parseInt(env.getOrDefault("DB_POOL_SIZE", "10")) + 1);
        }
        assertThat(databases).hasSize(Repo.serviceModules().size()); // the gateway (the issuer) has one too
        // Every pod at its pool's size (plus one LISTEN or Flyway connection) must fit.
        int maxConnections = Integer.parseInt(String.valueOf(
                Manifests.at(cluster, "spec", "postgresql", "parameters", "max_connections").orElseThrow()));
        assertThat(connections).as("connections of all pods at their maximum count").isLessThan(maxConnections - 10);

        if (overlay.isProduction()) {
            // WAL archiving through the Barman Cloud plugin (VersionsTest: never the deprecated barmanObjectStore).
            List<Map<String, Object>> plugins = list(Manifests.at(cluster, "spec", "plugins").orElseThrow());
            assertThat(plugins).singleElement().satisfies(plugin -> {
                assertThat(plugin).containsEntry("name", "barman-cloud.cloudnative-pg.io").containsEntry("isWALArchiver", true);
                String store = (String) map(plugin.get("parameters")).get("barmanObjectName");
                GenericKubernetesResource objectStore = single(overlay.generic("barmancloud.cnpg.io/v1", "ObjectStore"), "ObjectStore");
                assertThat(objectStore.getMetadata().getName()).isEqualTo(store);
                assertThat(Manifests.at(objectStore, "spec", "configuration", "destinationPath")).isPresent();
                assertThat(Manifests.at(objectStore, "spec", "retentionPolicy")).isPresent();
            });
            GenericKubernetesResource backup = single(overlay.generic(CNPG, "ScheduledBackup"), "ScheduledBackup");
            assertThat(Manifests.at(backup, "spec", "cluster", "name")).contains(clusterName);
            assertThat(Manifests.at(backup, "spec", "method")).contains("plugin");
            assertThat(Manifests.at(backup, "spec", "pluginConfiguration", "name")).contains("barman-cloud.cloudnative-pg.io");
            assertThat(String.valueOf(Manifests.at(backup, "spec", "schedule").orElseThrow()).split(" "))
                    .as("CloudNativePG schedules have six fields, seconds first").hasSize(6);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void consumersScaleNoFurtherThanTheTopicsPartitions(String name) {
        Overlay overlay = Overlay.of(name);
        for (String module : List.of("notification-service", "analytics-service")) {
            assertThat(overlay.find(HorizontalPodAutoscaler.class, module).orElseThrow().getSpec().getMaxReplicas())
                    .as("%s: one consumer per partition at most", module).isLessThanOrEqualTo(3);
        }
    }

    private static GenericKubernetesResource single(List<GenericKubernetesResource> found, String kind) {
        assertThat(found).as("one %s", kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<T>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static int number(Object value) {
        assertThat(value).as("a number").isInstanceOf(Number.class);
        return ((Number) value).intValue();
    }
}
