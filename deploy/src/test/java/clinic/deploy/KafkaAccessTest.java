package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka is closed: a TLS listener with SCRAM-SHA-512, simple authorization, one KafkaUser per service
 * whose ACLs are exactly what docs/events.md gives it (its own topics to write, what it consumes to
 * read, the dead-letter topics of those, its consumer group; nothing to create), the services told
 * how to log in, and no topic created by anyone but the topic operator.
 */
class KafkaAccessTest {

    private static final String STRIMZI = "kafka.strimzi.io/v1beta2";
    private static final Pattern PUBLISHES = Pattern.compile("(?m)^\\s*publishes:\\s*(.+)$");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @Test
    void theTableAgreesWithDocsEventsMd() {
        Map<String, EventTopics.Topic> documented = EventTopics.documented();
        assertThat(documented).as("topics in docs/events.md").isNotEmpty();
        documented.forEach((name, doc) -> {
            EventTopics.Topic table = EventTopics.topic(name);
            assertThat(table.producers()).as("producers of %s", name).containsExactlyInAnyOrderElementsOf(doc.producers());
            assertThat(table.consumers()).as("consumers of %s (docs/events.md)", name)
                    .containsExactlyInAnyOrderElementsOf(doc.consumers());
        });
        // What a service's application.yml says it publishes is its own topic(s).
        for (String module : Repo.serviceModules()) {
            Matcher m = PUBLISHES.matcher(Repo.read(Repo.ROOT.resolve(module).resolve("src/main/resources/application.yml")));
            if (!m.find()) continue;
            for (String topic : m.group(1).split(",")) {
                assertThat(EventTopics.produces(module)).as("%s publishes %s", module, topic.trim()).contains(topic.trim());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theOnlyListenerIsTlsWithScramAndAuthorizationIsOn(String name) {
        Overlay overlay = Overlay.of(name);
        GenericKubernetesResource kafka = single(overlay.generic(STRIMZI, "Kafka"));
        List<Map<String, Object>> listeners = list(Manifests.at(kafka, "spec", "kafka", "listeners").orElseThrow());
        assertThat(listeners).isNotEmpty().allSatisfy(l -> {
            assertThat(l.get("tls")).as("TLS on listener %s", l.get("name")).isEqualTo(true);
            assertThat(map(l.get("authentication")).get("type")).as("authentication on listener %s", l.get("name"))
                    .isIn("scram-sha-512", "tls");
            assertThat(l.get("type")).as("in-cluster only").isEqualTo("internal");
        });
        assertThat(Manifests.at(kafka, "spec", "kafka", "authorization", "type")).contains("simple");
        assertThat(String.valueOf(Manifests.at(kafka, "spec", "kafka", "config", "auto.create.topics.enable").orElseThrow()))
                .isEqualTo("false");
        assertThat(Manifests.at(kafka, "spec", "entityOperator", "userOperator")).as("user operator writes the users' Secrets").isPresent();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasAKafkaUserWithExactlyTheAclsItsEventsNeed(String name) {
        Overlay overlay = Overlay.of(name);
        String cluster = single(overlay.generic(STRIMZI, "Kafka")).getMetadata().getName();
        Map<String, GenericKubernetesResource> users = new TreeMap<>();
        overlay.generic(STRIMZI, "KafkaUser").forEach(u -> users.put(u.getMetadata().getName(), u));
        assertThat(users.keySet()).as("KafkaUsers in %s", name).containsExactlyInAnyOrderElementsOf(EventTopics.clients());

        users.forEach((service, user) -> {
            assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
            assertThat(Manifests.at(user, "spec", "authentication", "type")).as(service).contains("scram-sha-512");
            assertThat(Manifests.at(user, "spec", "authorization", "type")).as(service).contains("simple");
            Set<String> granted = new TreeSet<>();
            for (Map<String, Object> acl : KafkaAccessTest.<Map<String, Object>>list(
                    Manifests.at(user, "spec", "authorization", "acls").orElseThrow())) {
                Map<String, Object> resource = map(acl.get("resource"));
                assertThat(resource.get("patternType")).as("%s: literal names only, no prefix or wildcard", service)
                        .isEqualTo("literal");
                assertThat(acl).as("%s: 'operations', not the deprecated 'operation'", service).doesNotContainKey("operation");
                for (Object op : KafkaAccessTest.<Object>list(acl.get("operations"))) {
                    granted.add(resource.get("type") + " " + resource.get("name") + " " + op);
                }
            }
            assertThat(granted).as("ACLs of %s (docs/events.md)", service).containsExactlyInAnyOrderElementsOf(expectedAcls(service));
        });
    }

    /** Write its own topics; read what it consumes, as its own group; write the dead letters of what it consumes. */
    static Set<String> expectedAcls(String service) {
        Set<String> acls = new TreeSet<>();
        for (String topic : EventTopics.produces(service)) {
            acls.add("topic " + topic + " Write");
            acls.add("topic " + topic + " Describe");
        }
        for (String topic : EventTopics.consumes(service)) {
            acls.add("topic " + topic + " Read");
            acls.add("topic " + topic + " Describe");
            acls.add("topic " + topic + ".dlq Write");
            acls.add("topic " + topic + ".dlq Describe");
        }
        // The consumer group is spring.application.name, which is the module's name.
        if (!EventTopics.consumes(service).isEmpty()) acls.add("group " + service + " Read");
        return acls;
    }

    @Test
    void theExpectedAclsOfAConsumerGiveNoCreateAndNoForeignWrite() {
        Set<String> offer = expectedAcls("offer-service");
        assertThat(offer).contains("topic booking.events Read", "topic offer.events Write", "group offer-service Read")
                .doesNotContain("topic booking.events Write", "topic callback.events Read");
        assertThat(offer).noneMatch(a -> a.endsWith(" Create") || a.endsWith(" All") || a.startsWith("cluster "));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyKafkaClientLogsInAsItsUserOverTlsAndCreatesNoTopic(String name) {
        Overlay overlay = Overlay.of(name);
        GenericKubernetesResource kafka = single(overlay.generic(STRIMZI, "Kafka"));
        String cluster = kafka.getMetadata().getName();
        List<Map<String, Object>> listeners = list(Manifests.at(kafka, "spec", "kafka", "listeners").orElseThrow());
        List<String> problems = new ArrayList<>();
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            Map<String, String> env = overlay.environment(d);
            if (!env.containsKey("KAFKA_BOOTSTRAP")) {
                assertThat(EventTopics.clients()).as("%s has no Kafka settings", module).doesNotContain(module);
                continue;
            }
            expect(problems, module, env, "KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
            expect(problems, module, env, "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            expect(problems, module, env, "KAFKA_TRUSTSTORE_TYPE", "PEM");
            expect(problems, module, env, "CLINIC_TOPICS_CREATE", "false");
            EnvVar jaas = overlay.envEntry(d, "KAFKA_SASL_JAAS_CONFIG").orElse(null);
            if (jaas == null || jaas.getValueFrom() == null || jaas.getValueFrom().getSecretKeyRef() == null) {
                problems.add(module + ": KAFKA_SASL_JAAS_CONFIG not from a Secret");
            } else {
                assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("%s logs in as its own KafkaUser", module).isEqualTo(module);
                assertThat(jaas.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
            }
            // The truststore is the cluster CA, mounted from the Secret Strimzi keeps current.
            String truststore = env.getOrDefault("KAFKA_TRUSTSTORE_LOCATION", "");
            VolumeMount mount = Overlay.container(d).getVolumeMounts().stream()
                    .filter(m -> truststore.startsWith(m.getMountPath() + "/")).findFirst().orElse(null);
            if (mount == null) {
                problems.add(module + ": KAFKA_TRUSTSTORE_LOCATION " + truststore + " is on no volume");
            } else {
                Volume v = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(x -> x.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertThat(v.getSecret()).as("%s truststore volume", module).isNotNull();
                assertThat(v.getSecret().getSecretName()).isEqualTo(cluster + "-cluster-ca-cert");
                assertThat(v.getSecret().getItems()).anySatisfy(i -> {
                    assertThat(i.getKey()).isEqualTo("ca.crt");
                    assertThat(mount.getMountPath() + "/" + i.getPath()).isEqualTo(truststore);
                });
            }
            // The listener's NetworkPolicy admits the service's pods.
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(listeners).as("%s admitted by a listener's networkPolicyPeers", module).anySatisfy(l ->
                    assertThat(KafkaAccessTest.<Map<String, Object>>list(l.get("networkPolicyPeers"))).anySatisfy(peer -> {
                        Map<String, Object> labels = map(map(peer.get("podSelector")).get("matchLabels"));
                        labels.forEach((k, v) -> assertThat(podLabels).containsEntry(k, String.valueOf(v)));
                    }));
        }
        assertThat(problems).as("Kafka client settings in %s", name).isEmpty();
    }

    @Test
    void productionTopicsHaveThreeReplicas() {
        for (GenericKubernetesResource t : Overlay.of("production").generic(STRIMZI, "KafkaTopic")) {
            assertThat(((Number) Manifests.at(t, "spec", "replicas").orElseThrow()).intValue())
                    .as("replicas of %s", t.getMetadata().getName()).isEqualTo(3);
        }
    }

    private static void expect(List<String> problems, String module, Map<String, String> env, String var, String value) {
        if (!value.equals(env.get(var))) problems.add(module + ": " + var + "=" + env.get(var) + ", expected " + value);
    }

    private static GenericKubernetesResource single(List<GenericKubernetesResource> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<T>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
