package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operators the manifests were written for are pinned, form a pair the operators support, and
 * agree with docs/operations.md's "Versions" table; no deprecated backup API; no floating image tag.
 */
class VersionsTest {

    /**
     * Kafka versions each Strimzi release supports (strimzi.io/downloads). Strimzi 0.48 dropped 3.9.x,
     * which is why the manifests' old Kafka 3.9.0 no longer fitted a current operator.
     */
    static final Map<String, List<String>> STRIMZI_KAFKA = Map.of(
            "0.47.0", List.of("3.9.0", "3.9.1", "4.0.0"),
            "0.48.0", List.of("4.0.0", "4.1.0"),
            "0.49.0", List.of("4.0.0", "4.0.1", "4.1.0", "4.1.1"),
            "0.49.1", List.of("4.0.0", "4.0.1", "4.1.0", "4.1.1"));

    private static final Pattern ROW = Pattern.compile("(?m)^\\|\\s*([A-Za-z][A-Za-z ]+?)\\s*\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern PINNED_IMAGE = Pattern.compile("^[^:@]+(:(?!latest$)[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})$");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    /** docs/operations.md, "Versions": component to version. */
    static Map<String, String> documented() {
        String doc = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        int start = doc.indexOf("\n## Versions");
        assertThat(start).as("docs/operations.md has a Versions section").isPositive();
        int end = doc.indexOf("\n## ", start + 1);
        Matcher m = ROW.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        Map<String, String> versions = new TreeMap<>();
        while (m.find()) versions.put(m.group(1), m.group(2));
        return versions;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void operatorsAndKafkaArePinnedToADocumentedSupportedPair(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, String> doc = documented();
        GenericKubernetesResource kafka = overlay.generic("kafka.strimzi.io/v1beta2", "Kafka").get(0);
        String strimzi = kafka.getMetadata().getAnnotations().get("clinic/strimzi-version");
        String version = (String) Manifests.at(kafka, "spec", "kafka", "version").orElseThrow();
        assertThat(STRIMZI_KAFKA).as("a Strimzi release this test knows").containsKey(strimzi);
        assertThat(STRIMZI_KAFKA.get(strimzi)).as("Kafka versions Strimzi %s supports", strimzi).contains(version);
        String metadata = String.valueOf(Manifests.at(kafka, "spec", "kafka", "metadataVersion").orElseThrow());
        assertThat(metadata).as("metadataVersion of Kafka %s", version).startsWith(version.substring(0, version.lastIndexOf('.')) + "-IV");
        assertThat(doc).containsEntry("Strimzi", strimzi).containsEntry("Kafka", version);

        GenericKubernetesResource cluster = overlay.generic("postgresql.cnpg.io/v1", "Cluster").get(0);
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String cnpg = annotations.get("clinic/cloudnative-pg-version");
        String plugin = annotations.get("clinic/barman-cloud-plugin-version");
        assertThat(doc).containsEntry("CloudNativePG", cnpg).containsEntry("Barman Cloud plugin", plugin);
        // The plugin needs CloudNativePG 1.26 or later; Database resources 1.25.
        assertThat(compare(cnpg, "1.26.0")).as("CloudNativePG %s supports the Barman Cloud plugin", cnpg).isGreaterThanOrEqualTo(0);

        String image = (String) Manifests.at(cluster, "spec", "imageName").orElseThrow();
        assertThat(image).as("PostgreSQL image pinned to a minor release").matches(".*:\\d+\\.\\d+(-[a-z0-9-]+)?$");
        assertThat(doc).containsEntry("PostgreSQL", image.substring(image.lastIndexOf(':') + 1));

        // The deprecated in-tree backup API appears nowhere in what is applied.
        assertThat(Kustomize.render(Repo.overlay(name))).doesNotContain("barmanObjectStore");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageOutsideTheServicesIsPinned(String name) {
        Overlay overlay = Overlay.of(name);
        for (Deployment d : overlay.all(Deployment.class)) {
            if (Repo.serviceModules().contains(d.getMetadata().getName())) continue; // release tags: OverlayRenderingTest
            if (!overlay.isProduction() && d.getMetadata().getName().equals("mailpit")) continue; // a laptop's mail catcher
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                assertThat(c.getImage()).as("image of %s", d.getMetadata().getName()).matches(PINNED_IMAGE);
            }
        }
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0, q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }
}
