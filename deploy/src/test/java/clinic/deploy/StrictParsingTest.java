package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker itself: it must catch what the overlay tests rely on it to catch. */
class StrictParsingTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: %s
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s:
                        httpGet: {path: /actuator/health/liveness, port: 8080}
                      resources:
                        limits: {cpu: "1", memory: 512Mi}
            """;

    @Test
    void aCorrectDeploymentParsesToTheTypedModelWithNoUnknownField() {
        HasMetadata object = only(Manifests.parse(DEPLOYMENT.formatted("Deployment", "livenessProbe")));
        assertThat(object).isInstanceOf(Deployment.class);
        assertThat(Manifests.unknownFields(object)).isEmpty();
    }

    @Test
    void aMisspeltFieldDeepInsideIsReportedByPath() {
        HasMetadata object = only(Manifests.parse(DEPLOYMENT.formatted("Deployment", "livenesProbe")));
        assertThat(Manifests.unknownFields(object)).containsExactly("spec.template.spec.containers[0].livenesProbe");
    }

    @Test
    void aMisspeltKindIsNotTheTypedModel() {
        HasMetadata object = only(Manifests.parse(DEPLOYMENT.formatted("Deploymnet", "livenessProbe")));
        assertThat(object).isInstanceOf(GenericKubernetesResource.class);
    }

    @Test
    void aFieldOfAnotherApiVersionIsUnknown() {
        HasMetadata object = only(Manifests.parse("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: demo}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: demo}
                  maxReplicas: 3
                  targetCPUUtilizationPercentage: 70
                """));
        assertThat(Manifests.unknownFields(object)).containsExactly("spec.targetCPUUtilizationPercentage");
    }

    @Test
    void aValueOfTheWrongTypeFailsToParse() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Manifests.parse("""
                        apiVersion: policy/v1
                        kind: PodDisruptionBudget
                        metadata: {name: demo}
                        spec:
                          selector: [not, a, selector]
                        """))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not fit the typed model");
    }

    private static HasMetadata only(List<HasMetadata> objects) {
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }
}
