package clinic.kit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.kit.web.ClinicException;
import org.junit.jupiter.api.Test;

/** The audit log's filters, as the gateway checks them before asking any service. */
class AuditQueryTest {

    @Test
    void anActorLongerThanAnEmailAddressCanBeIsRefusedNamingTheParameter() {
        assertThat(AuditQuery.of(null, null, " " + "a".repeat(310) + "@clinic.ex ", null).actor())
                .hasSize(320);
        assertThat(refusedField(() -> AuditQuery.of(null, null, "x".repeat(321), null))).isEqualTo("actor");
    }

    @Test
    void limitsAndDatesAreChecked() {
        assertThat(AuditQuery.of("2027-01-01", "2027-01-31", "", null).limit()).isEqualTo(AuditQuery.DEFAULT_LIMIT);
        assertThat(refusedField(() -> AuditQuery.of(null, null, null, 1001))).isEqualTo("limit");
        assertThat(refusedField(() -> AuditQuery.of("2027-02-01", "2027-01-01", null, null))).isEqualTo("to");
    }

    /** The field a 400 validation_failed names. */
    private static String refusedField(Runnable call) {
        try {
            call.run();
        } catch (ClinicException e) {
            assertThat(e.code()).isEqualTo("validation_failed");
            var violations = (java.util.List<?>) e.properties().get("violations");
            return ((ClinicException.Violation) violations.get(0)).field();
        }
        throw new AssertionError("not refused");
    }
}
