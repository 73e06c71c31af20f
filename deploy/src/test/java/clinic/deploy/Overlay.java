package clinic.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One overlay, rendered and parsed once per test JVM, with lookups the tests share. */
record Overlay(String name, List<HasMetadata> objects) {

    private static final Map<String, Overlay> CACHE = new ConcurrentHashMap<>();

    static Overlay of(String name) {
        return CACHE.computeIfAbsent(name, n -> new Overlay(n, Manifests.parse(Kustomize.render(Repo.overlay(n)))));
    }

    @Override
    public String toString() {
        return name;
    }

    boolean isProduction() {
        return name.equals("production");
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<GenericKubernetesResource> generic(String apiVersion, String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(g -> apiVersion.equals(g.getApiVersion()) && kind.equals(g.getKind()))
                .toList();
    }

    static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) throw new AssertionError(d.getMetadata().getName() + ": expected one container");
        return containers.get(0);
    }

    /**
     * The environment a Deployment's container gets: ConfigMap keys through envFrom (ConfigMaps looked
     * up in this overlay), then env entries. A valueFrom entry maps to null.
     */
    Map<String, String> environment(Deployment d) {
        Container c = container(d);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getConfigMapRef() == null) {
                throw new AssertionError(d.getMetadata().getName() + ": envFrom other than a ConfigMap");
            }
            String cm = from.getConfigMapRef().getName();
            ConfigMap map = find(ConfigMap.class, cm)
                    .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " reads ConfigMap " + cm
                            + ", which " + name + " does not define"));
            env.putAll(map.getData());
        }
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) env.put(e.getName(), e.getValue());
        return env;
    }

    Optional<EnvVar> envEntry(Deployment d, String var) {
        Container c = container(d);
        return c.getEnv() == null ? Optional.empty() : c.getEnv().stream().filter(e -> e.getName().equals(var)).findFirst();
    }
}
