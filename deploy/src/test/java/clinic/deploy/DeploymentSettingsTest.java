package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each service's Deployment gives it: settings it reads, secrets by reference, probes, limits. */
class DeploymentSettingsTest {

    /**
     * Secrets created outside the repository: by hand (docs/operations.md, "Deploy": the signing key, each
     * service's PostgreSQL role) or by Strimzi (one per KafkaUser, named after it; the cluster CA).
     */
    static final Set<String> OUT_OF_BAND_SECRETS = outOfBandSecrets();

    private static Set<String> outOfBandSecrets() {
        Set<String> names = new TreeSet<>(List.of("clinic-secrets", "clinic-kafka-cluster-ca-cert"));
        for (String module : Repo.serviceModules()) {
            names.add("clinic-pg-" + module.replace("-service", ""));
            if (!module.equals("gateway")) names.add(module);
        }
        return Set.copyOf(names);
    }

    private static final Pattern URL = Pattern.compile("https?://([a-z0-9-]+):(\\d+)");

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableADeploymentSetsIsOneItsServiceReads(String name) {
        Overlay overlay = Overlay.of(name);
        List<String> problems = new ArrayList<>();
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            TreeSet<String> read = Repo.envVarsRead(module);
            for (String var : overlay.environment(d).keySet()) {
                if (!read.contains(var)) problems.add(module + " sets " + var + ", which it never reads");
            }
        }
        assertThat(problems).as("in overlay %s (each service reads: the ${VAR} placeholders of its application*.yml)", name)
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceGetsWhatItNeedsAndSecretsOnlyByReference(String name) {
        Overlay overlay = Overlay.of(name);
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            Map<String, String> env = overlay.environment(d);
            TreeSet<String> read = Repo.envVarsRead(module);
            List<String> needed = new ArrayList<>(List.of("SPRING_PROFILES_ACTIVE", "JAVA_TOOL_OPTIONS", "PORT"));
            // The gateway signs tokens (its key-encryption key); every other service checks them with its public keys.
            needed.add(module.equals("gateway") ? "CLINIC_KEY_ENCRYPTION_KEY" : "CLINIC_ISSUER_URL");
            if (read.contains("CLINIC_CLIENT_SECRET")) needed.add("CLINIC_CLIENT_SECRET");
            if (read.contains("DB_HOST")) needed.addAll(List.of("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"));
            if (read.contains("KAFKA_BOOTSTRAP")) needed.add("KAFKA_BOOTSTRAP");
            if (read.contains("SMTP_HOST")) needed.addAll(List.of("SMTP_HOST", "SMTP_PORT", "SMTP_PASSWORD", "PUBLIC_BASE_URL"));
            assertThat(env).as("environment of %s in %s", module, name).containsKeys(needed.toArray(String[]::new));

            String profiles = env.get("SPRING_PROFILES_ACTIVE");
            if (overlay.isProduction()) assertThat(profiles).as("profiles of %s", module).doesNotContain("local");
            else assertThat(profiles).isEqualTo("local");
            // booking-service's movable clock (system tests only) is never part of a deployment.
            assertThat(profiles).as("profiles of %s", module).doesNotContain("test-clock");

            // Anything secret comes from a Secret, never a literal in a ConfigMap or the Deployment.
            for (String var : env.keySet()) {
                if (var.matches(".*(SECRET|PASSWORD|TOKEN|KEY|JAAS).*") || var.equals("DB_USER")) {
                    EnvVar entry = overlay.envEntry(d, var)
                            .orElseThrow(() -> new AssertionError(module + ": " + var + " set as a plain value"));
                    assertThat(entry.getValue()).as("%s of %s", var, module).isNull();
                    String secret = entry.getValueFrom().getSecretKeyRef().getName();
                    boolean rendered = overlay.all(Secret.class).stream()
                            .anyMatch(s -> s.getMetadata().getName().equals(secret)
                                    && s.getData().containsKey(entry.getValueFrom().getSecretKeyRef().getKey()));
                    // An optional key may be absent (the local overlay leaves the gateway's client hash to its profile).
                    boolean optional = Boolean.TRUE.equals(entry.getValueFrom().getSecretKeyRef().getOptional());
                    assertThat(rendered || optional || OUT_OF_BAND_SECRETS.contains(secret))
                            .as("%s of %s refers to Secret %s, which is neither rendered nor created out of band", var, module, secret)
                            .isTrue();
                }
            }

            // Every in-cluster URL names a Service of the overlay, at a port it has.
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (e.getValue() == null) continue;
                Matcher m = URL.matcher(e.getValue());
                if (!m.find()) continue;
                Service target = overlay.find(Service.class, m.group(1))
                        .orElseThrow(() -> new AssertionError(module + ": " + e.getKey() + " points at unknown Service " + m.group(1)));
                assertThat(target.getSpec().getPorts()).as("%s of %s", e.getKey(), module)
                        .anySatisfy(p -> assertThat(p.getPort()).isEqualTo(Integer.parseInt(m.group(2))));
            }

            Container c = Overlay.container(d);
            assertThat(c.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).as("PORT of %s", module).isEqualTo(Integer.parseInt(env.get("PORT")));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheActuatorHealthGroupsOnTheServicePort(String name) {
        Overlay overlay = Overlay.of(name);
        for (String module : Repo.serviceModules()) {
            Container c = Overlay.container(overlay.find(Deployment.class, module).orElseThrow());
            assertProbe(module + " liveness", c.getLivenessProbe(), "/actuator/health/liveness");
            assertProbe(module + " readiness", c.getReadinessProbe(), "/actuator/health/readiness");
            assertProbe(module + " startup", c.getStartupProbe(), "/actuator/health/liveness");
        }
    }

    private static void assertProbe(String what, Probe probe, String path) {
        assertThat(probe).as(what).isNotNull();
        assertThat(probe.getHttpGet()).as(what + " is an HTTP GET").isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(what + " port").isEqualTo("http");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunAsNonRootOnAReadOnlyFilesystemWithinLimitsThatFitTheHeap(String name) {
        Overlay overlay = Overlay.of(name);
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            Container c = Overlay.container(d);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runAsNonRoot", module).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as("%s numeric user", module).isPositive();
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("%s read-only root", module).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/tmp");
                Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
                assertThat(v.getEmptyDir()).as("/tmp of %s is an emptyDir", module).isNotNull();
            });

            Map<String, Quantity> requests = c.getResources().getRequests();
            Map<String, Quantity> limits = c.getResources().getLimits();
            for (String resource : List.of("cpu", "memory")) {
                BigDecimal request = requests.get(resource).getNumericalAmount();
                BigDecimal limit = limits.get(resource).getNumericalAmount();
                assertThat(request).as("%s %s request", module, resource).isPositive().isLessThanOrEqualTo(limit);
            }
            // What the JVM may use inside the limit: MemoryBudgetTest.
        }
    }
}
