package clinic.kit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * SQLSTATE checks as services use them. The real driver's exceptions (with constraint names) are
 * exercised by the services' own tests against PostgreSQL (booking races, duplicate ids, offer codes).
 */
class SqlStatesTest {

    @Test
    void theStateIsFoundDownTheCauseChainAsSpringWrapsIt() {
        var driver = new R2dbcDataIntegrityViolationException(
                "duplicate key value violates unique constraint \"booking_reference_key\"", "23505");
        var wrapped = new DataIntegrityViolationException("executeMany; SQL [insert ...]", driver);
        assertThat(SqlStates.isUniqueViolation(wrapped)).isTrue();
        assertThat(SqlStates.is(wrapped, SqlStates.UNIQUE_VIOLATION)).isTrue();
        assertThat(SqlStates.is(wrapped, SqlStates.EXCLUSION_VIOLATION)).isFalse();
    }

    @Test
    void aConstraintPrefixNarrowsTheMatch() {
        var driver = new R2dbcDataIntegrityViolationException(
                "duplicate key value violates unique constraint \"booking_reference_key\"", "23505");
        assertThat(SqlStates.violates(driver, SqlStates.UNIQUE_VIOLATION, "booking_reference")).isTrue();
        assertThat(SqlStates.violates(driver, SqlStates.UNIQUE_VIOLATION, "idempotency_key")).isFalse();
        assertThat(SqlStates.violates(driver, SqlStates.UNIQUE_VIOLATION, null)).isTrue();
    }

    @Test
    void otherStatesAndOtherExceptionsAreNotViolations() {
        assertThat(SqlStates.is(new R2dbcTransientResourceException("deadlock detected", "40P01"),
                SqlStates.DEADLOCK)).isTrue();
        assertThat(SqlStates.isUniqueViolation(new R2dbcTransientResourceException("deadlock", "40P01"))).isFalse();
        assertThat(SqlStates.isUniqueViolation(new IllegalStateException("no database here"))).isFalse();
        assertThat(SqlStates.isUniqueViolation(null)).isFalse();
    }

    @Test
    void theStatesAreThePostgresOnes() {
        assertThat(SqlStates.UNIQUE_VIOLATION).isEqualTo("23505");
        assertThat(SqlStates.FOREIGN_KEY_VIOLATION).isEqualTo("23503");
        assertThat(SqlStates.EXCLUSION_VIOLATION).isEqualTo("23P01");
    }
}
