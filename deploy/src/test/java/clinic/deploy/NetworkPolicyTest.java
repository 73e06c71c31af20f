package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The namespace denies by default, and every Service is reachable from exactly what needs it: the
 * Ingress reaches the gateway, a service reaches another only if one of its *_URL settings names it,
 * Prometheus reaches every metrics port, services reach their database and Kafka, and nothing else
 * (another pod of the namespace, a pod of another namespace) reaches anything. Traffic is evaluated as
 * Kubernetes does: the source's egress policies AND the destination's ingress policies must allow it.
 */
class NetworkPolicyTest {

    private static final Pattern URL = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)");

    /** A pod, in a namespace, with labels; external addresses have no namespace. */
    record Pod(String name, String namespace, Map<String, String> labels) {
        boolean external() {
            return namespace == null;
        }
    }

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    static String namespace(Overlay overlay) {
        return overlay.isProduction() ? "clinic" : "clinic-local";
    }

    static Pod ingressController() {
        return new Pod("ingress-nginx", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
    }

    static Pod prometheus() {
        return new Pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
    }

    /** Every workload of the overlay as a pod, plus pods that must reach nothing. */
    static Map<String, Pod> pods(Overlay overlay) {
        String ns = namespace(overlay);
        Map<String, Pod> pods = new LinkedHashMap<>();
        for (Deployment d : overlay.all(Deployment.class)) {
            pods.put(d.getMetadata().getName(), new Pod(d.getMetadata().getName(), ns, d.getSpec().getTemplate().getMetadata().getLabels()));
        }
        pods.put("postgres", new Pod("postgres", ns, Map.of("cnpg.io/cluster", "clinic-pg", "cnpg.io/instanceRole", "primary")));
        pods.put("kafka", new Pod("kafka", ns, Map.of("strimzi.io/cluster", "clinic-kafka", "strimzi.io/kind", "Kafka")));
        pods.put("intruder", new Pod("intruder", ns, Map.of("app.kubernetes.io/name", "intruder")));
        pods.put("other-namespace", new Pod("other-namespace", "elsewhere", Map.of("app.kubernetes.io/name", "gateway")));
        pods.put("ingress-nginx", ingressController());
        pods.put("prometheus", prometheus());
        return pods;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theNamespaceDeniesEverythingByDefault(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(overlay.all(NetworkPolicy.class)).as("a default-deny policy in %s", name).anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels() == null || p.getSpec().getPodSelector().getMatchLabels().isEmpty()).isTrue();
            assertThat(p.getSpec().getPodSelector().getMatchExpressions() == null || p.getSpec().getPodSelector().getMatchExpressions().isEmpty()).isTrue();
            assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getEgress()).isNullOrEmpty();
        });
        Pod intruder = pods(overlay).get("intruder");
        Pod outside = new Pod("internet", null, Map.of());
        assertThat(allowed(overlay, intruder, outside, 443)).as("an unknown pod cannot reach out").isFalse();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsReachableOnlyFromWhatNeedsIt(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, Pod> pods = pods(overlay);
        Map<String, Set<String>> needs = needs(overlay);
        List<String> problems = new ArrayList<>();
        for (Service s : overlay.all(Service.class)) {
            String service = s.getMetadata().getName();
            Pod target = pods.values().stream().filter(p -> !p.external() && p.namespace().equals(namespace(overlay))
                    && p.labels().entrySet().containsAll(s.getSpec().getSelector().entrySet())).findFirst()
                    .orElseThrow(() -> new AssertionError("no pod behind Service " + service));
            for (var port : s.getSpec().getPorts()) {
                int number = targetPort(overlay, service, port.getPort());
                for (Pod source : pods.values()) {
                    if (source == target) continue;
                    boolean expected = needs.getOrDefault(service + ":" + port.getPort(), Set.of()).contains(source.name());
                    boolean actual = allowed(overlay, source, target, number);
                    if (expected != actual) {
                        problems.add(source.name() + " -> " + service + ":" + port.getPort() + (actual ? " allowed, not needed" : " needed, denied"));
                    }
                }
            }
        }
        assertThat(problems).as("reachability in %s", name).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesReachTheirDatabaseKafkaAndDnsAndNothingElseDoes(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, Pod> pods = pods(overlay);
        Pod dns = new Pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"));
        List<String> problems = new ArrayList<>();
        for (Pod source : pods.values()) {
            if (source.external() || !source.namespace().equals(namespace(overlay))) continue;
            Deployment d = overlay.find(Deployment.class, source.name()).orElse(null);
            Map<String, String> env = d == null || !Repo.serviceModules().contains(source.name()) ? Map.of() : overlay.environment(d);
            boolean db = "clinic-pg-rw".equals(env.get("DB_HOST")) || source.name().equals("postgres");
            boolean kafka = env.containsKey("KAFKA_BOOTSTRAP");
            if (db != allowed(overlay, source, pods.get("postgres"), 5432)) problems.add(source.name() + " -> PostgreSQL: " + !db);
            // Kafka's ingress is Strimzi's policy; what the namespace decides is who may send there.
            if (!source.name().equals("kafka") && kafka != egressAllowed(overlay, source, pods.get("kafka"), 9093)) {
                problems.add(source.name() + " -> Kafka: " + !kafka);
            }
            if (!egressAllowed(overlay, source, dns, 53)) problems.add(source.name() + " cannot resolve names");
        }
        assertThat(problems).as("data paths in %s", name).isEmpty();
    }

    @Test
    void theEvaluatorDeniesWhatNoPolicyAllows() {
        Overlay overlay = Overlay.of("production");
        Map<String, Pod> pods = pods(overlay);
        assertThat(allowed(overlay, pods.get("gateway"), pods.get("booking-service"), 8081)).isTrue();
        assertThat(allowed(overlay, pods.get("gateway"), pods.get("booking-service"), 5432)).as("wrong port").isFalse();
        // analytics-service calls no other service (callback- and offer-service now reach booking-service for erasures).
        assertThat(allowed(overlay, pods.get("analytics-service"), pods.get("booking-service"), 8081)).isFalse();
        assertThat(allowed(overlay, pods.get("other-namespace"), pods.get("booking-service"), 8081))
                .as("same labels, other namespace").isFalse();
    }

    /** "service:port" to the pods that need it: callers by URL, the Ingress for the gateway, Prometheus for metrics. */
    static Map<String, Set<String>> needs(Overlay overlay) {
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        for (Deployment d : overlay.all(Deployment.class)) {
            String caller = d.getMetadata().getName();
            Map<String, String> env = Repo.serviceModules().contains(caller) ? overlay.environment(d) : Map.of();
            env.forEach((var, value) -> {
                if (value == null) return;
                Matcher m = URL.matcher(value);
                if (m.find()) needs.computeIfAbsent(m.group(1) + ":" + m.group(2), k -> new TreeSet<>()).add(caller);
            });
            if (env.containsKey("SMTP_HOST") && overlay.find(Service.class, env.get("SMTP_HOST")).isPresent()) {
                needs.computeIfAbsent(env.get("SMTP_HOST") + ":" + env.get("SMTP_PORT"), k -> new TreeSet<>()).add(caller);
            }
        }
        needs.computeIfAbsent("gateway:8080", k -> new TreeSet<>()).add("ingress-nginx");
        // Every service's metrics are on its service port.
        for (String module : Repo.serviceModules()) {
            int port = overlay.find(Service.class, module).orElseThrow().getSpec().getPorts().get(0).getPort();
            needs.computeIfAbsent(module + ":" + port, k -> new TreeSet<>()).add("prometheus");
        }
        return needs;
    }

    private static int targetPort(Overlay overlay, String service, int port) {
        return port; // every Service here targets the same port number on its pods
    }

    static boolean allowed(Overlay overlay, Pod source, Pod target, int port) {
        boolean egress = source.external() || !source.namespace().equals(namespace(overlay)) || egressAllowed(overlay, source, target, port);
        boolean ingress = target.external() || !target.namespace().equals(namespace(overlay)) || ingressAllowed(overlay, source, target, port);
        return egress && ingress;
    }

    static boolean ingressAllowed(Overlay overlay, Pod source, Pod target, int port) {
        List<NetworkPolicy> applying = overlay.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress") && selects(p.getSpec().getPodSelector(), target.labels()))
                .toList();
        if (applying.isEmpty()) return true;
        return applying.stream().flatMap(p -> p.getSpec().getIngress() == null ? java.util.stream.Stream.empty() : p.getSpec().getIngress().stream())
                .anyMatch(rule -> ports(rule.getPorts(), port) && peers(overlay, rule.getFrom(), source));
    }

    static boolean egressAllowed(Overlay overlay, Pod source, Pod target, int port) {
        List<NetworkPolicy> applying = overlay.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().contains("Egress") && selects(p.getSpec().getPodSelector(), source.labels()))
                .toList();
        if (applying.isEmpty()) return true;
        return applying.stream().flatMap(p -> p.getSpec().getEgress() == null ? java.util.stream.Stream.empty() : p.getSpec().getEgress().stream())
                .anyMatch(rule -> ports(rule.getPorts(), port) && peers(overlay, rule.getTo(), target));
    }

    private static boolean ports(List<NetworkPolicyPort> ports, int port) {
        if (ports == null || ports.isEmpty()) return true;
        for (NetworkPolicyPort p : ports) {
            IntOrString value = p.getPort();
            if (value == null) return true;
            if (value.getIntVal() == null) throw new AssertionError("named port " + value.getStrVal() + ": use numbers in policies");
            if (value.getIntVal() == port) return true;
        }
        return false;
    }

    private static boolean peers(Overlay overlay, List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) return true;
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                // Pod traffic is matched by selectors; ipBlocks are for addresses outside the cluster.
                if (pod.external()) return true;
                continue;
            }
            if (pod.external()) continue;
            boolean namespaceOk = peer.getNamespaceSelector() == null
                    ? pod.namespace().equals(namespace(overlay))
                    : selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", pod.namespace()));
            boolean podOk = peer.getPodSelector() == null || selects(peer.getPodSelector(), pod.labels());
            if (namespaceOk && podOk) return true;
        }
        return false;
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) return true;
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) return false;
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("operator " + r.getOperator());
                };
                if (!ok) return false;
            }
        }
        return true;
    }
}
