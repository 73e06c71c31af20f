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

/** Secrets are referenced, never committed; the one exception is the local overlay's development Secrets. */
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
    void theLocalOverlaysSecretsHoldOnlyObviouslyLocalValues() {
        List<Secret> secrets = Overlay.of("local").all(Secret.class);
        Secret app = secrets.stream().filter(s -> s.getMetadata().getName().startsWith("clinic-secrets")).findFirst().orElseThrow();
        assertThat(app.getData()).containsOnlyKeys("key-encryption-key", "booking-client-secret",
                "notification-client-secret", "callback-client-secret", "offer-client-secret", "smtp-password");
        // The gateway takes a key-encryption key of exactly 32 bytes (base64).
        assertThat(Base64.getDecoder().decode(decode(app.getData().get("key-encryption-key")))).hasSize(32);
        // Besides it, one PostgreSQL role's credentials per service (DataRolesTest), in the form CloudNativePG reads.
        assertThat(secrets).allSatisfy(s -> {
            if (s != app) {
                assertThat(s.getMetadata().getName()).matches("clinic-pg-[a-z]+");
                assertThat(s.getType()).isEqualTo("kubernetes.io/basic-auth");
                assertThat(s.getData()).containsOnlyKeys("username", "password");
                assertThat(s.getMetadata().getName()).endsWith("-" + decode(s.getData().get("username")));
            }
            assertThat(s.getData()).allSatisfy((key, value) -> {
                // The key-encryption key is base64 itself (of "local-kubernetes-…"); a hash says nothing readable.
                String plain = key.equals("key-encryption-key") ? decode(decode(value)) : decode(value);
                if (!key.equals("username") && !key.endsWith("-hash")) {
                    assertThat(plain).as("local value of %s", key).contains("local");
                }
            });
        });
        // One per service: the gateway has its database too (the issuer's keys and the accounts).
        assertThat(secrets).hasSize(1 + Repo.serviceModules().size());
    }

    private static String decode(String value) {
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}
