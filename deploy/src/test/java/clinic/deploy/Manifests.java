package clinic.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Rendered manifests parsed with fabric8's typed Kubernetes model.
 *
 * <p>Each document becomes the model class its apiVersion and kind name (a Deployment of apps/v1
 * becomes {@code io.fabric8.kubernetes.api.model.apps.Deployment}); kinds fabric8 does not model
 * (Strimzi's, CloudNativePG's, or a misspelt one) become {@link GenericKubernetesResource}, which the
 * tests accept only for the operator kinds they expect. fabric8 model classes keep fields they do not
 * know in {@code additionalProperties} instead of failing, so FAIL_ON_UNKNOWN_PROPERTIES alone proves
 * nothing: {@link #unknownFields} walks every parsed object and reports each such field by path.
 */
final class Manifests {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(JSON, true);

    private Manifests() {}

    /** Parses a multi-document YAML stream (kubectl kustomize output) into typed objects. */
    static List<HasMetadata> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<HasMetadata> objects = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(yaml)) {
            if (document == null) continue;
            try {
                String json = JSON.writeValueAsString(document);
                KubernetesResource parsed = SERIALIZATION.unmarshal(json, KubernetesResource.class);
                if (!(parsed instanceof HasMetadata object)) {
                    throw new AssertionError("not a Kubernetes object with metadata: " + json);
                }
                objects.add(object);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError("cannot serialise a rendered document: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new AssertionError("a rendered document does not fit the typed model: " + e.getMessage()
                        + "\n" + document, e);
            }
        }
        return objects;
    }

    static String describe(HasMetadata o) {
        return o.getApiVersion() + " " + o.getKind() + " " + o.getMetadata().getName();
    }

    /**
     * Fields the typed model did not recognise, as paths ("spec.template.spec.containers[0].livenes"),
     * found anywhere in a parsed object. Generic (operator) resources are not walked.
     */
    static List<String> unknownFields(HasMetadata object) {
        List<String> found = new ArrayList<>();
        if (!(object instanceof GenericKubernetesResource)) walk(object, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value == null) return;
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) walk(item, path + "[" + i++ + "]", found);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith("io.fabric8.")) return;
        additionalProperties(value).forEach((k, v) -> found.add(join(path, String.valueOf(k))));
        BeanDescription bean = JSON.getSerializationConfig().introspect(JSON.constructType(type));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null || property.getName().equals("additionalProperties")) continue;
            accessor.fixAccess(true);
            walk(accessor.getValue(value), join(path, property.getName()), found);
        }
    }

    private static Map<?, ?> additionalProperties(Object value) {
        try {
            Method getter = value.getClass().getMethod("getAdditionalProperties");
            Object map = getter.invoke(value);
            return map instanceof Map<?, ?> m ? m : Map.of();
        } catch (NoSuchMethodException e) {
            return Map.of();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A value inside a generic (operator) resource, by its keys from the object's root ("spec", "replicas"). */
    static Optional<Object> at(GenericKubernetesResource resource, String... keys) {
        Object current = resource.getAdditionalProperties();
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) return Optional.empty();
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }
}
