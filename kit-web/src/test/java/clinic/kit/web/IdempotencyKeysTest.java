package clinic.kit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Idempotency-Key header as docs/api/openapi.yaml defines it: {@code ^[\x21-\x7E]{1,200}$}. */
class IdempotencyKeysTest {

    @Test
    void absentHeaderIsNoKey() {
        assertThat(IdempotencyKeys.checked(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k", "3f2a-9c1e", "'OR'1'='1'--", "!~"})
    void visibleAsciiKeysAreTakenAsTheyAre(String key) {
        assertThat(IdempotencyKeys.checked(key)).isEqualTo(key);
    }

    @Test
    void twoHundredCharactersIsTheLongestKey() {
        assertThat(IdempotencyKeys.checked("k".repeat(200))).hasSize(200);
        assertRefused("k".repeat(201));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "tab\there", "caf\u00e9", "line\nbreak"})
    void emptyBlankAndNonAsciiKeysAre400(String key) {
        assertRefused(key);
    }

    @Test
    void theRequestHashIsTheHexSha256OfTheBody() {
        assertThat(IdempotencyKeys.requestHash("abc".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aReusedKeyIs422WithItsStableCode() {
        var e = new IdempotencyKeys.Reused();
        assertThat(e.status().value()).isEqualTo(422);
        assertThat(e.code()).isEqualTo("idempotency_key_reused");
    }

    private static void assertRefused(String key) {
        assertThatThrownBy(() -> IdempotencyKeys.checked(key)).isInstanceOfSatisfying(ClinicException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("validation_failed");
            assertThat(e.properties().get("violations")).asList().singleElement()
                    .isInstanceOfSatisfying(ClinicException.Violation.class,
                            v -> assertThat(v.field()).isEqualTo("Idempotency-Key"));
        });
    }
}
