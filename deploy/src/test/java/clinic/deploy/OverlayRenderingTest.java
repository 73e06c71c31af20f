package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay renders with kubectl kustomize, and every object it renders fits fabric8's typed
 * model: a known kind at the API version we mean, with no field the model does not know.
 */
class OverlayRenderingTest {

    /** The only kinds fabric8 does not model that an overlay may contain: the operators' resources. */
    static final Set<String> OPERATOR_KINDS = Set.of(
            "kafka.strimzi.io/v1beta2 Kafka",
            "kafka.strimzi.io/v1beta2 KafkaNodePool",
            "kafka.strimzi.io/v1beta2 KafkaTopic",
            "kafka.strimzi.io/v1beta2 KafkaUser",
            "postgresql.cnpg.io/v1 Cluster",
            "postgresql.cnpg.io/v1 Database",
            "postgresql.cnpg.io/v1 ScheduledBackup",
            "barmancloud.cnpg.io/v1 ObjectStore",
            "monitoring.coreos.com/v1 PodMonitor");

    /** The API versions we mean for the built-in kinds (fabric8 also models older ones). */
    static final Map<String, String> API_VERSIONS = Map.of(
            "Deployment", "apps/v1",
            "Service", "v1",
            "ConfigMap", "v1",
            "Secret", "v1",
            "HorizontalPodAutoscaler", "autoscaling/v2",
            "PodDisruptionBudget", "policy/v1",
            "Ingress", "networking.k8s.io/v1",
            "NetworkPolicy", "networking.k8s.io/v1");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectFitsTheTypedModelWithNoUnknownField(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(overlay.objects()).as("objects rendered by %s", name).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (HasMetadata o : overlay.objects()) {
            String id = Manifests.describe(o);
            if (o instanceof GenericKubernetesResource) {
                if (!OPERATOR_KINDS.contains(o.getApiVersion() + " " + o.getKind())) {
                    problems.add(id + ": not a kind the typed model knows, nor an expected operator kind");
                }
                continue;
            }
            String expected = API_VERSIONS.get(o.getKind());
            if (expected == null) problems.add(id + ": kind not expected in an overlay");
            else if (!expected.equals(o.getApiVersion())) problems.add(id + ": expected apiVersion " + expected);
            Manifests.unknownFields(o).forEach(f -> problems.add(id + ": unknown field " + f));
        }
        assertThat(problems).as("problems in overlay %s", name).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectHasAUniqueNameInTheOverlaysNamespace(String name) {
        Overlay overlay = Overlay.of(name);
        Set<String> seen = new HashSet<>();
        for (HasMetadata o : overlay.objects()) {
            assertThat(o.getMetadata().getNamespace()).as("namespace of %s", Manifests.describe(o))
                    .isEqualTo(name.equals("production") ? "clinic" : "clinic-local");
            assertThat(seen.add(o.getKind() + "/" + o.getMetadata().getName()))
                    .as("duplicate %s", Manifests.describe(o)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceModuleHasItsDeploymentServiceConfigMapAndAutoscaler(String name) {
        Overlay overlay = Overlay.of(name);
        List<String> modules = Repo.serviceModules();
        assertThat(modules).as("service modules found in %s", Repo.ROOT)
                .contains("gateway", "booking-service", "offer-service", "callback-service",
                        "notification-service", "analytics-service");
        for (String module : modules) {
            Deployment d = overlay.find(Deployment.class, module)
                    .orElseThrow(() -> new AssertionError("no Deployment for module " + module + " in " + name));
            Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());

            Service s = overlay.find(Service.class, module)
                    .orElseThrow(() -> new AssertionError("no Service for " + module + " in " + name));
            assertThat(podLabels).as("pods of %s selected by its Service", module).containsAllEntriesOf(s.getSpec().getSelector());
            int containerPort = Overlay.container(d).getPorts().get(0).getContainerPort();
            assertThat(s.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(containerPort);

            assertThat(overlay.all(ConfigMap.class)).extracting(c -> c.getMetadata().getName())
                    .anySatisfy(n -> assertThat(n).startsWith(module + "-config"));

            HorizontalPodAutoscaler hpa = overlay.find(HorizontalPodAutoscaler.class, module)
                    .orElseThrow(() -> new AssertionError("no HorizontalPodAutoscaler for " + module + " in " + name));
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(module);
            assertThat(hpa.getSpec().getMinReplicas()).isBetween(1, hpa.getSpec().getMaxReplicas());
            assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
                assertThat(m.getResource().getName()).isEqualTo("cpu");
                assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
            // The HPA owns the replica count; a fixed one would be reset at every apply.
            assertThat(d.getSpec().getReplicas()).as("replicas of %s", module).isNull();

            if (overlay.isProduction()) {
                assertThat(hpa.getSpec().getMinReplicas()).as("production min replicas of %s", module).isGreaterThanOrEqualTo(2);
                PodDisruptionBudget pdb = overlay.find(PodDisruptionBudget.class, module)
                        .orElseThrow(() -> new AssertionError("no PodDisruptionBudget for " + module));
                assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
                assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theIngressLeadsToTheGatewayOnly(String name) {
        Overlay overlay = Overlay.of(name);
        List<Ingress> ingresses = overlay.all(Ingress.class);
        assertThat(ingresses).isNotEmpty();
        Service gateway = overlay.find(Service.class, "gateway").orElseThrow();
        Set<String> gatewayPorts = new HashSet<>();
        gateway.getSpec().getPorts().forEach(p -> gatewayPorts.add(p.getName()));
        for (Ingress ingress : ingresses) {
            assertThat(ingress.getSpec().getRules()).allSatisfy(rule -> {
                assertThat(rule.getHost()).as("host set by the overlay").isNotBlank().isNotEqualTo("clinic.example");
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    assertThat(path.getBackend().getService().getName()).isEqualTo("gateway");
                    assertThat(gatewayPorts).contains(path.getBackend().getService().getPort().getName());
                }
            });
            if (overlay.isProduction()) {
                assertThat(ingress.getSpec().getTls()).as("TLS on %s", ingress.getMetadata().getName()).isNotEmpty();
            }
        }
        // The gateway's metrics are for the cluster, not for the internet.
        assertThat(ingresses).anySatisfy(i -> {
            assertThat(i.getMetadata().getAnnotations())
                    .containsEntry("nginx.ingress.kubernetes.io/whitelist-source-range", "127.0.0.1/32");
            assertThat(i.getSpec().getRules().get(0).getHttp().getPaths())
                    .extracting(HTTPIngressPath::getPath).containsExactly("/actuator");
        });
    }
}
