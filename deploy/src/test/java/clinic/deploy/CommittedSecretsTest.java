package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Secrets are referenced, never committed; the one exception is the local overlay's development Secret. */
class CommittedSecretsTest {

    private static final Path LOCAL = Repo.overlay("local");

    @Test
    void noManifestOutsideTheLocalOverlayDefinesOrGeneratesASecret() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repo.K8S)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(LOCAL))
                    .forEach(f -> {
                        String text = Repo.read(f);
                        if (text.matches("(?s).*^kind:\\s*Secret\\s*$.*") || text.contains("secretGenerator")
                                || text.matches("(?s).*^\\s*(stringData|data):.*")
                                        && text.matches("(?s).*kind:\\s*Secret.*")) {
                            offenders.add(Repo.ROOT.relativize(f).toString());
                        }
                    });
        }
        assertThat(offenders).as("files defining Secrets outside overlays/local").isEmpty();
    }

    @Test
    void productionRendersNoSecretAtAll() {
        assertThat(Overlay.of("production").all(Secret.class)).isEmpty();
    }

    @Test
    void theLocalOverlaysSecretHoldsOnlyObviouslyLocalValues() {
        List<Secret> secrets = Overlay.of("local").all(Secret.class);
        assertThat(secrets).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).startsWith("clinic-secrets");
            assertThat(s.getData()).containsOnlyKeys("jwt-secret", "smtp-password");
            s.getData().forEach((key, value) -> assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
                    .as("local value of %s", key).contains("local"));
            // The services refuse keys shorter than 32 bytes.
            assertThat(Base64.getDecoder().decode(s.getData().get("jwt-secret"))).hasSizeGreaterThanOrEqualTo(32);
        });
    }
}
